/// Several source files in one space of byte offsets: file `n` starts at `n·stride`,
/// so that a range says which file it is in (an imported model's statements carry
/// ranges into their own file through flattening and resolution).
public struct SourceMap: Sendable {
  /// Room for each file: far more bytes than any network file has.
  public static let stride = 1 << 40

  public private(set) var files: [SourceFile] = []

  public init(files: [SourceFile] = []) {
    self.files = files
  }

  /// Adds a file and returns the offset its ranges are moved by.
  public mutating func add(_ file: SourceFile) -> Int {
    files.append(file)
    return (files.count - 1) * Self.stride
  }

  /// The file a range lies in, and the range within that file.
  public func locate(_ range: SourceRange) -> (file: SourceFile, range: SourceRange)? {
    guard !range.isNone else { return files.first.map { ($0, range) } }
    let index = range.start / Self.stride
    guard index < files.count else { return nil }
    return (files[index], range.shifted(by: -index * Self.stride))
  }

  /// The 1-based line of a range's start in its own file.
  public func line(of range: SourceRange) -> Int {
    guard let (file, local) = locate(range) else { return 0 }
    return file.location(of: local.start).line
  }

  /// "line 12", or "line 12 of lemaire2004.ant" when the range is in another file than `range`'s.
  public func place(of range: SourceRange, seenFrom other: SourceRange) -> String {
    let line = "line \(line(of: range))"
    guard let here = locate(range)?.file.path, here != locate(other)?.file.path else { return line }
    return line + " of \(here)"
  }

  /// The source text of a range.
  public func text(_ range: SourceRange) -> String {
    guard let (file, local) = locate(range) else { return "" }
    return file.text(local)
  }

  /// The diagnostic rendered in the file it points into.
  public func render(_ diagnostic: Diagnostic) -> String {
    guard let (file, local) = locate(diagnostic.range) else { return diagnostic.message }
    var moved = diagnostic
    moved.range = local
    return moved.rendered(in: file)
  }
}
