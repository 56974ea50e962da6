import Foundation
import VetterCore
import VetterDocuments

/// libFuzzer entry point: any input must give a document or a DocumentError, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    var limits = DocumentLimits()
    limits.timeBudgetSeconds = 5
    let readers = DocumentReaders([DOCXReader()], limits: limits)
    for reader in readers.readers {
        _ = try? reader.read(data, filename: "fuzz-input", limits: limits)
    }
    return 0
}
