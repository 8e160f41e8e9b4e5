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
  /// Sorted by position: the named file's first, then each imported file's.
  public var diagnostics: [Diagnostic]
  /// The named file and every file it imports; diagnostics point into them.
  public var sources: SourceMap

  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

  /// A diagnostic rendered with the file it points into, its source line and caret.
  public func render(_ diagnostic: Diagnostic) -> String {
    sources.render(diagnostic)
  }

  /// Every diagnostic rendered with its source line and caret.
  public var renderedDiagnostics: String {
    diagnostics.map(render).joined(separator: "\n")
  }

  /// Line and column of a diagnostic in the file it points into.
  public func position(_ diagnostic: Diagnostic) -> SourceLocation {
    guard let (file, range) = sources.locate(diagnostic.range) else { return file.location(of: 0) }
    return file.location(of: range.start)
  }
}

/// Error thrown when a network file cannot be read at all.
public struct NetworkFileError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var reason: String
  public var description: String { "\(path): error: \(reason)" }
}

extension Network {
  /// Parses and resolves network text; `import`s are read relative to `directory`
  /// (by default the file's own folder, or the current one).
  public static func load(_ file: SourceFile, directory: String? = nil) -> LoadedNetwork {
    var modules = ModuleLoader()
    modules.load(main: file, directory: directory ?? ModuleLoader.directory(of: file.path))
    let definitions = modules.definitions()
    var diagnostics = modules.diagnostics
    var network: Network?
    guard let mainTree = modules.trees.first, let main = mainTree.mainModel else {
      diagnostics.append(.error("the file defines no model", at: SourceRange(start: 0, end: 0)))
      return LoadedNetwork(file: file, network: nil, diagnostics: diagnostics, sources: modules.sources)
    }
    let resolved = Resolver.resolve(
      main: main, definitions: definitions, functions: modules.trees.flatMap(\.functions),
      displayName: mainTree.modelDisplayNames[main.name.text], sources: modules.sources)
    // After a syntax error some statements are missing, so usage warnings would mislead.
    let syntaxFailed = diagnostics.contains { $0.severity == .error }
    diagnostics.append(contentsOf: resolved.diagnostics.filter { !syntaxFailed || $0.severity == .error })
    if !diagnostics.contains(where: { $0.severity == .error }) { network = resolved.network }
    diagnostics = Self.annotatedWithInstances(
      diagnostics, instances: resolved.instances, definitions: definitions, main: main.name.text)
    var list = DiagnosticList()
    list.append(contentsOf: diagnostics)
    return LoadedNetwork(file: file, network: network, diagnostics: list.sorted, sources: modules.sources)
  }

  /// Diagnostics inside a model that instances copy name ids as that model writes
  /// them (`kk`, not `site.first.kk`) and say which instances they are about (those
  /// whose ids the message named, else every copy of the model); the same message
  /// from several copies is given once, naming them all.
  static func annotatedWithInstances(
    _ diagnostics: [Diagnostic], instances: [InstanceOrigin], definitions: [String: ModelDefinition], main: String
  ) -> [Diagnostic] {
    // The model a position lies in: the last model whose name comes before it in the same file.
    let starts = definitions.values.map { ($0.syntax.name.text, $0.syntax.name.range.start) }
    var order: [Diagnostic] = []
    var copies: [Diagnostic: (model: String, named: [String], all: [String])] = [:]
    for diagnostic in diagnostics {
      let start = diagnostic.range.start
      let file = start / SourceMap.stride
      var stripped = diagnostic
      var named: [String] = []
      var all: [String] = []
      var modelName = ""
      if let model = starts.filter({ $0.1 <= start && $0.1 / SourceMap.stride == file }).max(by: { $0.1 < $1.1 }),
        model.0 != main
      {
        modelName = model.0
        all = instances.filter { $0.model == model.0 }.map(\.path)
        // Longest paths first, so that `A.B.` goes before `A.`.
        for path in all.sorted(by: { $0.count > $1.count }) {
          let message = stripped.message.replacing("`\(path).", with: "`")
          let hint = stripped.hint?.replacing("`\(path).", with: "`")
          if message != stripped.message || hint != stripped.hint { named.append(path) }
          stripped.message = message
          stripped.hint = hint
        }
      }
      if let earlier = copies[stripped] {
        copies[stripped] = (earlier.model, earlier.named + named, earlier.all)
      } else {
        order.append(stripped)
        copies[stripped] = (modelName, named, all)
      }
    }
    return order.map { diagnostic in
      guard let (model, named, all) = copies[diagnostic], !all.isEmpty else { return diagnostic }
      let paths = named.isEmpty ? all : all.filter { named.contains($0) }
      let listed = paths.map { "`\($0)`" }.joined(separator: ", ")
      let note = "in model `\(model)`, copied by instance\(paths.count == 1 ? "" : "s") \(listed)"
      var annotated = diagnostic
      annotated.hint = annotated.hint.map { $0 + "; " + note } ?? note
      return annotated
    }
  }

  /// Parses and resolves network text given as a string.
  public static func load(text: String, path: String = "<input>") -> LoadedNetwork {
    load(SourceFile(path: path, text: text), directory: ".")
  }

  /// The id closest to a misspelled one, by the rule of the diagnostics' hints, so
  /// that tools suggest the same names as `osteon check`.
  public static func closestID(to name: String, among candidates: [String]) -> String? {
    Suggestions.closest(to: name, among: candidates)
  }

  /// Reads, parses and resolves a network file.
  public static func load(path: String) throws(NetworkFileError) -> LoadedNetwork {
    load(try readSourceFile(path: path))
  }

  /// Reads a file's bytes, with a clear error for a missing or unreadable file, and
  /// for files that cannot be Antimony at all (empty, binary, SBML): one line instead
  /// of a screenful of syntax errors.
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
    if let reason = SourceFileCheck.problem(with: bytes, path: path) {
      throw NetworkFileError(path: path, reason: reason)
    }
    return SourceFile(path: path, bytes: bytes)
  }
}

/// Recognizes files that are not Antimony text before the parser sees them.
enum SourceFileCheck {
  /// How many leading bytes are checked for binary data and for SBML.
  static let prefixLength = 8192

  static func problem(with bytes: [UInt8], path: String) -> String? {
    if let offset = binaryOffset(in: bytes) {
      var reason = "not a text file (binary data at byte \(offset)); network files are UTF-8 text"
      if bytes[offset] >= 0x80 {
        reason += "; if it is text in another encoding, convert it with `iconv -f LATIN1 -t UTF-8`"
      }
      return reason
    }
    if let markup = markup(in: bytes) {
      guard markup == .sbml else {
        return "this is XML, not Antimony text; Osteon reads Antimony (convert SBML with libAntimony or Tellurium)"
      }
      let quoted = path.contains("'") || path.contains("\"") ? "model.xml" : path
      let target = antimonyName(for: quoted)
      return "this is SBML (XML), not Antimony; convert it first, e.g. "
        + "python -c \"import antimony; antimony.loadSBMLFile('\(quoted)'); "
        + "print(antimony.getAntimonyString(None))\" > \(target) (or Tellurium's te.sbmlToAntimony)"
    }
    if isBlank(bytes) { return "the file is empty: it defines no model" }
    return nil
  }

  /// Offset of the first NUL, control character (other than tab, line and page
  /// breaks) or invalid UTF-8 sequence in the first bytes, which would otherwise
  /// reach the terminal inside diagnostics.
  static func binaryOffset(in bytes: [UInt8]) -> Int? {
    let end = min(bytes.count, prefixLength)
    var index = 0
    while index < end {
      let byte = bytes[index]
      if byte < 0x80 {
        switch byte {
        case 0x09...0x0D, 0x20...0x7E: index += 1
        default: return index
        }
        continue
      }
      let length: Int
      switch byte {
      case 0xC2...0xDF: length = 2
      case 0xE0...0xEF: length = 3
      case 0xF0...0xF4: length = 4
      default: return index
      }
      // A sequence cut by the end of the checked prefix (not of the file) is fine.
      if index + length > end && end < bytes.count { return nil }
      guard index + length <= bytes.count else { return index }
      for next in 1..<length where bytes[index + next] & 0xC0 != 0x80 { return index }
      let second = bytes[index + 1]
      if byte == 0xE0 && second < 0xA0 || byte == 0xED && second > 0x9F || byte == 0xF0 && second < 0x90
        || byte == 0xF4 && second > 0x8F
      {
        return index  // overlong, surrogate or beyond U+10FFFF
      }
      index += length
    }
    return nil
  }

  enum Markup { case sbml, otherXML }

  /// XML, recognized by its first character: no Antimony statement starts with `<`.
  /// SBML when an `<sbml` element follows near the start.
  static func markup(in bytes: [UInt8]) -> Markup? {
    let prefix = bytes.prefix(prefixLength)
    var start = prefix.startIndex
    if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
    while start < prefix.endIndex, prefix[start] == 0x20 || (0x09...0x0D).contains(prefix[start]) { start += 1 }
    guard start < prefix.endIndex, prefix[start] == UInt8(ascii: "<") else { return nil }
    let tag = Array("<sbml".utf8)
    guard prefix.count >= tag.count else { return .otherXML }
    for index in start...(prefix.endIndex - tag.count)
    where prefix[index] == tag[0] && prefix[index..<(index + tag.count)].elementsEqual(tag) {
      return .sbml
    }
    return .otherXML
  }

  /// Whether the file holds nothing but blanks, statement separators and comments.
  static func isBlank(_ bytes: [UInt8]) -> Bool {
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x20 || (0x09...0x0D).contains(byte) || byte == UInt8(ascii: ";") {
        index += 1
      } else if byte == UInt8(ascii: "#")
        || byte == UInt8(ascii: "/") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/")
      {
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
      } else if byte == UInt8(ascii: "/") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*") {
        index += 2
        while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) {
          index += 1
        }
        // An unterminated comment is the lexer's to report.
        guard index + 1 < bytes.count else { return false }
        index += 2
      } else {
        return false
      }
    }
    return true
  }

  /// `model.xml` → `model.ant`, for the conversion hint.
  static func antimonyName(for path: String) -> String {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name + ".ant" }
    return String(name[..<dot]) + ".ant"
  }
}

extension Network {
  /// For benchmarks: reads `file` and its imports and flattens the main model into
  /// one model's statements, without resolving them; returns how many there are.
  public static func flattenedStatementCount(_ file: SourceFile, directory: String) -> Int {
    var modules = ModuleLoader()
    modules.load(main: file, directory: directory)
    guard let main = modules.trees.first?.mainModel else { return 0 }
    var flattener = Flattener(definitions: modules.definitions())
    return flattener.flatten(main).count
  }
}
