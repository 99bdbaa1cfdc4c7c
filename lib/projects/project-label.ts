// How a project is named in lists and the switcher: its name, with its id when another project
// the user can see has the same name (names are not unique), so the two can be told apart.
export function projectLabel(project: { id: string; name: string }, projects: readonly { id: string; name: string }[]): string {
  const key = project.name.trim().toLowerCase()
  const duplicate = projects.some((other) => other.id !== project.id && other.name.trim().toLowerCase() === key)
  return duplicate ? `${project.name} (${project.id})` : project.name
}
