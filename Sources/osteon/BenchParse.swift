import ArgumentParser
import OsteonExport
import OsteonNetwork
import OsteonSyntax

struct BenchParse: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-parse",
    abstract: "Time parsing and resolving a generated network (front-end benchmark).",
    discussion: """
      Generates a chain of N Michaelis–Menten reactions (two parameters each, an \
      assignment rule every tenth step, an event), then parses and resolves it K times \
      after one warm-up and prints the median times. Build with `-c release` for \
      meaningful numbers.

      With --instances N: generates instead a network of N instances of one \
      --states-species cascade module (`C1: cascade(L)`), and the same network \
      written flat, and times parsing and flattening the first, and loading each \
      (parse, flatten, resolve). --write DIR \
      saves both files, so that `osteon bench DIR/cascades.ant` and `osteon bench \
      DIR/cascades_flat.ant` compare their simulation.
      """
  )

  @Option(help: "Time a network of this many instances of one module instead of a chain.")
  var instances: Int?

  @Option(help: "Species in the module that --instances copies.")
  var states = 30

  @Option(help: "With --instances: write cascades.ant and cascades_flat.ant to this folder.")
  var write: String?

  @Option(help: "Number of reactions in the generated network.")
  var reactions = 10_000

  @Option(name: .customLong("repeat"), help: "Timed repetitions after the warm-up.")
  var repetitions: Int = 5

  func validate() throws {
    guard reactions >= 1 else { throw ValidationError("--reactions must be at least 1") }
    guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
    if let instances, instances < 1 { throw ValidationError("--instances must be at least 1") }
    guard states >= 1 else { throw ValidationError("--states must be at least 1") }
    if write != nil, instances == nil { throw ValidationError("--write needs --instances") }
  }

  func run() throws {
    if let instances {
      try runModules(instances: instances)
      return
    }
    let text = SyntheticNetwork.text(reactions: reactions)
    let file = SourceFile(path: "<synthetic>", text: text)
    let clock = ContinuousClock()
    var parseTimes: [Double] = []
    var totalTimes: [Double] = []
    var last: LoadedNetwork?
    for round in 0...repetitions {
      let start = clock.now
      let parsed = Parser.parse(file)
      let parsedAt = clock.now
      let loaded = Network.load(file)
      let end = clock.now
      _ = parsed
      last = loaded
      if round > 0 {
        parseTimes.append(Self.milliseconds(parsedAt - start))
        // `load` parses again; its own time is the full parse + resolve.
        totalTimes.append(Self.milliseconds(end - parsedAt))
      }
    }
    guard let loaded = last, let network = loaded.network else {
      Output.standardError("the generated network did not resolve:\n" + (last?.renderedDiagnostics ?? ""))
      throw ExitCode.failure
    }
    let parse = Self.median(parseTimes)
    let total = Self.median(totalTimes)
    Output.standardOutput(
      "reactions=\(network.reactions.count) species=\(network.species.count) parameters=\(network.parameters.count) lines=\(file.lineStarts.count) bytes=\(file.bytes.count)"
    )
    Output.standardOutput(
      "parse_ms=\(Self.format(parse)) resolve_ms=\(Self.format(total - parse)) parse_and_resolve_ms=\(Self.format(total))"
    )
  }

  /// Times loading the modular network and its flat twin.
  func runModules(instances: Int) throws {
    let texts = [
      ("cascades.ant", SyntheticNetwork.modular(instances: instances, states: states)),
      ("cascades_flat.ant", SyntheticNetwork.flat(instances: instances, states: states)),
    ]
    if let write {
      for (name, text) in texts {
        do {
          _ = try OutputFile.write(text, to: write.hasSuffix("/") ? write + name : write + "/" + name)
        } catch {
          Output.standardError(error.description)
          throw ExitCode(73)
        }
      }
    }
    let modular = SourceFile(path: texts[0].0, text: texts[0].1)
    let flat = SourceFile(path: texts[1].0, text: texts[1].1)
    let clock = ContinuousClock()
    var times: [[Double]] = [[], []]
    var flattenTimes: [Double] = []
    var networks: [Network?] = [nil, nil]
    for round in 0...repetitions {
      let start = clock.now
      _ = Network.flattenedStatementCount(modular, directory: ".")
      if round > 0 { flattenTimes.append(Self.milliseconds(clock.now - start)) }
      for (slot, file) in [modular, flat].enumerated() {
        let start = clock.now
        let loaded = Network.load(file, directory: ".")
        let end = clock.now
        if loaded.hasErrors {
          Output.standardError("the generated network did not resolve:\n" + loaded.renderedDiagnostics)
          throw ExitCode.failure
        }
        networks[slot] = loaded.network
        if round > 0 { times[slot].append(Self.milliseconds(end - start)) }
      }
    }
    let network = networks[0]
    Output.standardOutput(
      "instances=\(instances) states_per_instance=\(states) species=\(network?.species.count ?? 0) reactions=\(network?.reactions.count ?? 0) parameters=\(network?.parameters.count ?? 0) bytes_modular=\(modular.bytes.count) bytes_flat=\(flat.bytes.count)"
    )
    Output.standardOutput(
      "parse_and_flatten_ms=\(Self.format(Self.median(flattenTimes))) load_modular_ms=\(Self.format(Self.median(times[0]))) load_flat_ms=\(Self.format(Self.median(times[1])))"
    )
  }

  static func milliseconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1
      ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }

  static func format(_ value: Double) -> String {
    String(Double(Int((value * 100).rounded())) / 100)
  }
}
