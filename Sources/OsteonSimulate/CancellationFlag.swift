import Synchronization

/// Stops runs from outside: set it (from any thread, or a signal handler) and every
/// run given it ends at its next step with a `.cancelled` error. A cancelled Swift
/// task stops its runs the same way without one.
public final class CancellationFlag: Sendable {
  private let flag = Atomic<Bool>(false)

  public init() {}

  public func cancel() {
    flag.store(true, ordering: .relaxed)
  }

  public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
