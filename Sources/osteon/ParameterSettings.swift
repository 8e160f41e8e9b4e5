import ArgumentParser
import OsteonCompile
import OsteonNetwork

/// `--set id=value` (repeatable), as `simulate`, `bench` and `steady` take it: the
/// parsing and the check of each id against the network.
enum ParameterSettings {
  static let help = ArgumentHelp(
    "Set a parameter, compartment size or initial value (repeatable).", valueName: "id=value")

  /// `id=value` pairs; a malformed pair or a value that is not finite is a usage error.
  static func values(of items: [String]) throws(ValidationError) -> [String: Double] {
    var values: [String: Double] = [:]
    for item in items {
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let id = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
      guard parts.count == 2, !id.isEmpty, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
        throw ValidationError("--set takes id=value, e.g. --set I_P=1000; got `\(item)`")
      }
      guard value.isFinite else {
        throw ValidationError("--set \(id): the value must be a finite number; got \(value)")
      }
      values[id] = value
    }
    return values
  }

  /// Refuses a reaction, an assignment-rule variable or an unknown id (naming the
  /// likely one).
  static func check(_ ids: [String], in model: CompiledModel, file: String) throws(ValidationError) {
    let layout = model.layout
    for id in ids.sorted() {
      if model.network.reaction(id) != nil {
        throw ValidationError(
          "--set: `\(id)` is a reaction: its rate comes from its rate law; set a parameter of that law, or scale the rate with --scale-rate \(id)=FACTOR (0 knocks it out)"
        )
      }
      if layout.rules.contains(id) {
        throw ValidationError(
          "--set: `\(id)` is set by an assignment rule (`\(id) := …`) at every moment, so a value would be overwritten; set one of the rule's inputs instead"
        )
      }
      if layout.slots[id] == nil {
        throw unknownID(
          "--set", id, among: layout.states + layout.parameters, what: "compartment, species or parameter",
          file: file)
      }
    }
  }

  /// "OPTION: FILE has no WHAT `id`; did you mean `near`?" with where to find the ids.
  static func unknownID(_ option: String, _ id: String, among candidates: [String], what: String, file: String)
    -> ValidationError
  {
    var message = "\(option): \(file) has no \(what) `\(id)`"
    if let near = Network.closestID(to: id, among: candidates) {
      message += "; did you mean `\(near)`?"
    } else if !candidates.isEmpty, candidates.count <= 12 {
      message += "; it has \(candidates.map { "`\($0)`" }.joined(separator: ", "))"
    }
    return ValidationError(message + " (`osteon explain \(file)` lists the ids)")
  }
}
