import Foundation
import VetterCore
import VetterDocuments

/// libFuzzer entry point: any input must give a document or a DocumentError, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    let data = Data(bytes: bytes, count: count)
    var limits = DocumentLimits()
    limits.timeBudgetSeconds = 5
    for reader in [WordMLReader(), EuropassReader()] as [any DocumentReader] {
        _ = try? reader.read(data, filename: "fuzz-input", limits: limits)
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links ELF executables with `--defsym main=<Module>_main`; under -parse-as-library that
/// symbol is not emitted, so define it and hand over to libFuzzer's driver.
@_cdecl("FuzzXML_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var c = argc
    var v = argv
    return runDriver(&c, &v) { fuzz($0, $1) }
}
