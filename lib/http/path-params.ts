// Route path parameters as the caller meant them: percent-decoded, or as sent when they do not decode.
export function decodedPathParam(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
