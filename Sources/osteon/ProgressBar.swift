import Foundation
import Synchronization

/// A progress bar with an estimate of the time left, on stderr when it is a terminal
/// (`osteon run`, `osteon sensitivity`).
final class ProgressBar: Sendable {
  private let enabled: Bool
  private let started = ContinuousClock.now
  /// Runs already done when this one started (resumed): not part of the rate.
  private let resumed: Int
  /// Nothing is drawn before this much time has passed: short runs stay quiet.
  private let delay: Duration
  private let state = Mutex<(last: ContinuousClock.Instant?, shown: Bool)>((nil, false))

  init(enabled: Bool, resumed: Int = 0, delay: Duration = .zero) {
    self.enabled = enabled
    self.resumed = resumed
    self.delay = delay
  }

  func update(_ done: Int, _ total: Int) {
    guard enabled else { return }
    let now = ContinuousClock.now
    guard now - started >= delay else { return }
    let draw = state.withLock { state -> Bool in
      if let last = state.last, now - last < .milliseconds(200), done < total { return false }
      state = (now, true)
      return true
    }
    guard draw else { return }
    let elapsed = now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let rate = Double(done - resumed) / max(seconds, 1e-9)
    let left = rate > 0 ? Double(total - done) / rate : .infinity
    let eta = left.isFinite ? Self.format(left) : "?"
    let width = 30
    let filled = total > 0 ? width * done / total : width
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    FileHandle.standardError.write(
      Data("\r\(bar) \(done)/\(total) runs, \(Int(rate.rounded()))/s, ETA \(eta)\u{1B}[K".utf8))
  }

  func finish() {
    guard enabled, state.withLock({ $0.shown }) else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }

  static func format(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded())
    if whole < 60 { return "\(whole) s" }
    if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
    return "\(whole / 3600) h \(whole % 3600 / 60) min"
  }
}
