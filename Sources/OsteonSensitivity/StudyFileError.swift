/// A shard or checkpoint file that cannot be used: where and why.
public struct StudyFileError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var line: Int
  public var message: String

  public init(path: String, line: Int, message: String) {
    self.path = path
    self.line = line
    self.message = message
  }

  public var description: String { "\(path):\(line): error: \(message)" }
}
