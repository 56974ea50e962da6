import Foundation
import VetterCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exit codes, documented in the README and in `vetter --help`.
public enum ExitStatus {
    /// A report was produced (whatever the band).
    public static let ok: Int32 = 0
    /// A report was produced, but part of the input (such as the résumé file) could not be read.
    public static let partialInput: Int32 = 2
    /// The band reached the `--fail-on` threshold.
    public static let bandThreshold: Int32 = 3
    /// Wrong command-line usage (argument-parser's code).
    public static let usage: Int32 = 64
    /// The input record or document is malformed.
    public static let dataError: Int32 = 65
    /// An input file does not exist or cannot be read.
    public static let noInput: Int32 = 66
    /// The output file cannot be created or written.
    public static let cannotCreate: Int32 = 73
    /// Unexpected internal failure.
    public static let software: Int32 = 70
    /// The policy or configuration is invalid.
    public static let config: Int32 = 78

    static let help = """
        Exit codes: 0 report produced (any band); 2 report produced but part of the input could not be read; \
        3 band at or above --fail-on; 64 usage error; 65 malformed input; 66 input file not found; \
        70 internal error; 73 output cannot be written; 78 invalid policy or configuration.
        """
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("vetter: " + message + "\n").utf8))
}

/// Finds the `Config` folder: `--config-dir`, then `VETTER_CONFIG_DIR`, then the nearest
/// `Config/policy.yaml` above the working directory or the executable.
enum ConfigLocator {
    static func locate(_ explicit: String?) -> URL? {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let env = ProcessInfo.processInfo.environment["VETTER_CONFIG_DIR"] { return URL(fileURLWithPath: env) }
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent(),
        ]
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = directory.appendingPathComponent("Config")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("policy.yaml").path) { return candidate }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return nil
    }
}

/// Whether to colour output: only on a terminal, never with `NO_COLOR`.
func useColour(for format: ReportFormat) -> Bool {
    format == .text && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
}
