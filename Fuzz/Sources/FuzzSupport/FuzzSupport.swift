import Foundation
import VetterCore

/// What every fuzz target shares: feed the input to its readers, and start libFuzzer's driver.
public enum FuzzSupport {
    /// Any input must give a document or a `DocumentError`, never a crash.
    public static func read(_ bytes: UnsafePointer<UInt8>?, _ count: Int, with readers: [any DocumentReader]) -> CInt {
        guard let bytes else { return 0 }
        let data = Data(bytes: bytes, count: count)
        var limits = DocumentLimits()
        limits.timeBudgetSeconds = 5
        for reader in readers {
            _ = try? reader.read(data, filename: "fuzz-input", limits: limits)
        }
        return 0
    }

    /// SwiftPM links ELF executables with `--defsym main=<Module>_main`; under -parse-as-library that
    /// symbol is not emitted, so each target defines it and hands over to libFuzzer's driver here.
    public static func run(
        _ argc: CInt,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt {
        var c = argc
        var v = argv
        return runDriver(&c, &v, callback)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
