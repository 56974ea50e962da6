// swift-tools-version: 6.1
// libFuzzer targets for the document parsers. Built by Scripts/fuzz.sh with -sanitize=fuzzer.
import PackageDescription

let package = Package(
    name: "VetterFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Vetter", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "VetterCore", package: "Vetter")]),
    ] + ["PDF", "DOCX", "XML", "HTML", "JSON"].map { name in
        .executableTarget(
            name: "Fuzz\(name)",
            dependencies: ["FuzzSupport", .product(name: "VetterDocuments", package: "Vetter"), .product(name: "VetterCore", package: "Vetter")],
            path: "Sources/Fuzz\(name)",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    }
)
