import FuzzSupport
import VetterDocuments

/// libFuzzer entry point for the HTML readers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzSupport.read(bytes, count, with: [HTMLReader()])
}

@_cdecl("FuzzHTML_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzSupport.run(argc, argv) { fuzz($0, $1) }
}
