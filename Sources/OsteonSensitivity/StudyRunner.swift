import OsteonSimulate
import Synchronization

/// Evaluates rows of a design on every core: rows go out in chunks to at most
/// `threads` tasks, each with its own evaluator. A row's outputs depend only on
/// the row, so the results are the same whatever the number of threads or the
/// order in which chunks finish.
public struct StudyRunner: Sendable {
  public var study: PreparedStudy
  public var threads: Int
  /// Set from another thread (Ctrl-C) to stop at the next simulation step.
  public var cancellation: CancellationFlag?
  /// Rows per task.
  public var chunk: Int

  public init(study: PreparedStudy, threads: Int, cancellation: CancellationFlag? = nil, chunk: Int = 16) {
    self.study = study
    self.threads = max(1, threads)
    self.cancellation = cancellation
    self.chunk = max(1, chunk)
  }

  /// Runs `rows` of `design` except those `done` (resuming); `record` gets each
  /// finished chunk (to checkpoint it) and `progress` (rows done, rows in all).
  /// Returns every outcome of `rows` sorted by row, or `nil` if cancelled (what
  /// was recorded stays recorded).
  public func run(
    design: Design, rows: Range<Int>, done: [RowOutcome] = [],
    record: (@Sendable ([RowOutcome]) -> Void)? = nil,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) async -> [RowOutcome]? {
    let finished = Set(done.map(\.row))
    let pending = rows.filter { !finished.contains($0) }
    var chunks: [[Int]] = []
    var start = 0
    while start < pending.count {
      chunks.append(Array(pending[start..<min(start + chunk, pending.count)]))
      start += chunk
    }
    var outcomes = done.filter { rows.contains($0.row) }
    let total = rows.count
    var completed = outcomes.count
    let cancellation = self.cancellation
    let study = self.study
    var cancelled = false
    await withTaskGroup(of: [RowOutcome]?.self) { group in
      var next = 0
      func submit() {
        let rowsOfChunk = chunks[next]
        next += 1
        let points = rowsOfChunk.map { design.values(row: $0) }
        group.addTask {
          let evaluator = study.makeEvaluator()
          evaluator.cancellation = cancellation
          var results: [RowOutcome] = []
          for (row, point) in zip(rowsOfChunk, points) {
            if Task.isCancelled || cancellation?.isCancelled == true { return nil }
            let result = evaluator.evaluate(point, row: row)
            if case .failure(let failure) = result, failure.kind == SimulationError.Kind.cancelled.rawValue {
              return nil
            }
            results.append(RowOutcome(row: row, result: result))
          }
          return results
        }
      }
      while next < min(threads, chunks.count) { submit() }
      for await result in group {
        guard let result else {
          cancelled = true
          group.cancelAll()
          break
        }
        outcomes += result
        completed += result.count
        record?(result)
        progress?(completed, total)
        if next < chunks.count { submit() }
      }
    }
    if cancelled || cancellation?.isCancelled == true { return nil }
    return outcomes.sorted { $0.row < $1.row }
  }
}
