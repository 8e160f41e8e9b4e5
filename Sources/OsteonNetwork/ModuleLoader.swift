import OsteonSyntax

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files of a network: the one named and every file it imports, transitively,
/// each parsed once with its ranges moved to its own place in one `SourceMap`. An
/// import is read relative to the file that writes it; a cycle or a missing file is
/// an error at the `import` line, naming the chain of imports.
struct ModuleLoader {
  private(set) var sources = SourceMap()
  private(set) var diagnostics: [Diagnostic] = []
  /// Each file's syntax tree, in the order read (the named file first).
  private(set) var trees: [SyntaxTree] = []
  /// Canonical path of every file read.
  private var loaded: Set<String> = []

  /// Reads `file` (found in `directory`) and what it imports.
  mutating func load(main file: SourceFile, directory: String) {
    // `directory` is the file's folder, whether or not `file.path` includes it.
    let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
    let canonical = Self.canonical(Self.join(directory, name))
    add(file, canonical: canonical, directory: directory, chain: [(file.path, canonical)])
  }

  /// `chain`: the files that imported this one, as written and canonical, outermost first.
  private mutating func add(
    _ file: SourceFile, canonical: String, directory: String, chain: [(shown: String, canonical: String)]
  ) {
    loaded.insert(canonical)
    let offset = sources.add(file)
    let parsed = Parser.parse(file)
    diagnostics += parsed.diagnostics.map { diagnostic in
      var moved = diagnostic
      moved.range = diagnostic.range.shifted(by: offset)
      return moved
    }
    let tree = parsed.tree.shifted(by: offset)
    trees.append(tree)
    for item in tree.imports {
      let path = item.path.hasPrefix("/") ? item.path : Self.join(directory, item.path)
      let target = Self.canonical(path)
      if let start = chain.firstIndex(where: { $0.canonical == target }) {
        let cycle = (chain[start...].map(\.shown) + [item.path]).joined(separator: " → ")
        diagnostics.append(
          .error(
            "import cycle: \(cycle)", at: item.range,
            hint: "a file cannot import itself, directly or through the files it imports"))
        continue
      }
      if loaded.contains(target) { continue }
      let imported: SourceFile
      do {
        imported = try Network.readSourceFile(path: path)
      } catch {
        let through = chain.count > 1 ? " (imported through \(chain.map(\.shown).joined(separator: " → ")))" : ""
        diagnostics.append(.error("cannot import `\(item.path)`: \(error.reason)\(through)", at: item.range))
        continue
      }
      add(imported, canonical: target, directory: Self.directory(of: path), chain: chain + [(path, target)])
    }
  }

  /// Every model of every file, by name, for instances to copy; a name defined twice
  /// is an error at the second definition.
  mutating func definitions() -> [String: ModelDefinition] {
    var result: [String: ModelDefinition] = [:]
    for (index, tree) in trees.enumerated() {
      let path = sources.files[index].path
      for model in tree.models where model.name.text != ModelSyntax.topLevelName {
        if let earlier = result[model.name.text] {
          diagnostics.append(
            .error(
              "model `\(model.name.text)` is defined twice (first at \(sources.place(of: earlier.syntax.name.range, seenFrom: model.name.range)))",
              at: model.name.range, hint: "rename one of them"))
          continue
        }
        result[model.name.text] = ModelDefinition(syntax: model, file: path)
      }
    }
    return result
  }

  // MARK: - Paths

  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  static func join(_ directory: String, _ path: String) -> String {
    directory == "." ? path : directory + "/" + path
  }

  /// The real path when the file exists (so that one file reached two ways is read
  /// once), else the path made absolute.
  static func canonical(_ path: String) -> String {
    if let resolved = realpath(path, nil) {
      defer { free(resolved) }
      return String(cString: resolved)
    }
    return path
  }
}
