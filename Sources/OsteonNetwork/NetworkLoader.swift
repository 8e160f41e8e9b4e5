import OsteonSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The outcome of reading one network file: the network when it is valid, and every
/// diagnostic either way.
public struct LoadedNetwork: Sendable {
  public var file: SourceFile
  public var network: Network?
  /// Sorted by position in the file.
  public var diagnostics: [Diagnostic]

  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

  /// Every diagnostic rendered with its source line and caret.
  public var renderedDiagnostics: String {
    diagnostics.map { $0.rendered(in: file) }.joined(separator: "\n")
  }
}

/// Error thrown when a network file cannot be read at all.
public struct NetworkFileError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var reason: String
  public var description: String { "\(path): error: \(reason)" }
}

extension Network {
  /// Parses and resolves network text.
  public static func load(_ file: SourceFile) -> LoadedNetwork {
    let parsed = Parser.parse(file)
    var diagnostics = parsed.diagnostics
    var network: Network?
    let resolved = Resolver.resolve(parsed.tree, file: file)
    // After a syntax error some statements are missing, so usage warnings would mislead.
    let syntaxFailed = diagnostics.contains { $0.severity == .error }
    diagnostics.append(contentsOf: resolved.diagnostics.filter { !syntaxFailed || $0.severity == .error })
    if !diagnostics.contains(where: { $0.severity == .error }) { network = resolved.network }
    var list = DiagnosticList()
    list.append(contentsOf: diagnostics)
    return LoadedNetwork(file: file, network: network, diagnostics: list.sorted)
  }

  /// Parses and resolves network text given as a string.
  public static func load(text: String, path: String = "<input>") -> LoadedNetwork {
    load(SourceFile(path: path, text: text))
  }

  /// Reads, parses and resolves a network file.
  public static func load(path: String) throws(NetworkFileError) -> LoadedNetwork {
    load(try readSourceFile(path: path))
  }

  /// Reads a file's bytes, with a clear error for a missing or unreadable file.
  public static func readSourceFile(path: String) throws(NetworkFileError) -> SourceFile {
    guard let handle = fopen(path, "rb") else {
      let reason = String(cString: strerror(errno))
      throw NetworkFileError(path: path, reason: "cannot read the file: \(reason)")
    }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65536, handle) }
      if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
      if count < 65536 {
        if ferror(handle) != 0 {
          throw NetworkFileError(path: path, reason: "cannot read the file (is it a directory?)")
        }
        break
      }
    }
    return SourceFile(path: path, bytes: bytes)
  }
}
