import ArgumentParser
import Foundation
import OsteonExperiment
import OsteonSensitivity

/// Reads a study file and prepares it against its network or experiment, printing
/// errors (file:line:col, with a caret) and exiting 65 on bad input.
enum SensitivityStudyLoader {
  /// The prepared study and the bytes of every file it read (for the fingerprint).
  static func load(_ path: String) throws -> (PreparedStudy, files: [[UInt8]]) {
    let study: SensitivityStudy
    do {
      study = try SensitivityStudy(contentsOfFile: path)
    } catch {
      Output.standardError(error.description)
      throw ExitCode(exitDataError)
    }
    var files = [Run.bytes(of: path)]
    do {
      switch study.target {
      case .network(let networkPath):
        try checkExists(networkPath, key: "network", study: study)
        let (loaded, network) = try loadNetwork(networkPath)
        files.append(loaded.file.bytes)
        return (try PreparedStudy(study: study, network: network), files)
      case .experiment(let experimentPath):
        try checkExists(experimentPath, key: "experiment", study: study)
        let experiment = try Experiment(contentsOfFile: experimentPath)
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: experiment.networkPath, isDirectory: &isFolder) {
          throw experiment.error(
            "the network file `\(experiment.networkPath)` does not exist", at: KeyPath.root.appending("network"))
        }
        let (loaded, network) = try loadNetwork(experiment.networkPath)
        files += [Run.bytes(of: experimentPath), loaded.file.bytes]
        let plan = try ExperimentPlan(experiment: experiment, network: network)
        return (try PreparedStudy(study: study, plan: plan), files)
      }
    } catch let error as ExperimentError {
      Output.standardError(error.description)
      throw ExitCode(exitDataError)
    }
  }

  /// The study's design for `method`; a design that cannot be made exits 65.
  static func design(_ prepared: PreparedStudy, _ method: StudyMethod, study: String) throws -> Design {
    do {
      return try prepared.design(method)
    } catch {
      Output.standardError("\(study): error: \(error.description)")
      throw ExitCode(exitDataError)
    }
  }

  static func checkExists(_ path: String, key: String, study: SensitivityStudy) throws {
    var isFolder: ObjCBool = false
    if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) || isFolder.boolValue {
      throw study.error(
        "the \(key) file `\(path)` \(isFolder.boolValue ? "is a folder" : "does not exist")",
        at: KeyPath.root.appending(key), hint: "the path is relative to the study file's folder")
    }
  }
}
