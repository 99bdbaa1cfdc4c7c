// The bucket choices of the analytics pages' Bucket select ('auto' lets the view choose).
export const BUCKET_OPTIONS = [
  { value: 'auto', label: 'automatic' },
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
  { value: '21600', label: '6 hours' },
  { value: '86400', label: '1 day' },
]
