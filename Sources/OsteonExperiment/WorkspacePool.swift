import OsteonSimulate
import Synchronization

/// Solver workspaces for the tasks of one experiment: a task takes one, runs, and
/// gives it back, so that consecutive runs on a thread reuse their GSL driver (see
/// `SimulationWorkspace`). A workspace is used by one task at a time.
final class WorkspacePool: @unchecked Sendable {
  private let lock = Mutex(())
  private var free: [SimulationWorkspace] = []

  func take() -> SimulationWorkspace {
    let found: SimulationWorkspace? = lock.withLock { _ in free.popLast() }
    return found ?? SimulationWorkspace()
  }

  func give(_ workspace: SimulationWorkspace) {
    lock.withLock { _ in free.append(workspace) }
  }
}
