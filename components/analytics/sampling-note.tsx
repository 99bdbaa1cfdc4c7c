// Said on analytics pages of a project that samples: the numbers are estimates from kept traces.
export function SamplingNote({ rate }: { rate: number }) {
  return (
    <div className="rounded border border-sky-200 bg-sky-50 p-3 text-sm text-sky-900" data-testid="sampling-note">
      <strong>Sampling is on</strong> for this project: {Math.round(rate * 1000) / 10}% of ordinary traces are kept (every trace with an error, slow trace or kept tenant too). Counts and costs
      here weigh each kept model call by the inverse of its chance of being kept, so they estimate all traffic.
    </div>
  )
}
