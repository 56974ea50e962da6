// swift-tools-version: 6.1
import PackageDescription

// Module boundaries follow dependency boundaries:
// - VetterCore: the pure pipeline (model, readers for text and JSON Resume, enrichers,
//   indicators, policy, reports). Foundation, Yams and swift-crypto only; no system C library.
// - VetterCLI: the argument-parser commands, as a library so tests can run them in process.
// - vetter: the thin executable.
let package = Package(
    name: "Vetter",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vetter", targets: ["vetter"]),
        .library(name: "VetterCore", targets: ["VetterCore"]),
        .library(name: "VetterDocuments", targets: ["VetterDocuments"]),
        .library(name: "VetterNetwork", targets: ["VetterNetwork"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .target(
            name: "VetterCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Document readers with system C libraries (poppler-glib, libxml2) and ZIPFoundation.
        // VetterCore never depends on this target.
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .systemLibrary(
            name: "CPoppler",
            path: "Sources/CPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev"]), .brew(["poppler"])]
        ),
        .target(
            name: "VetterDocuments",
            dependencies: [
                "VetterCore", "CLibXML2", "CPoppler",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libmaxminddb (Debian libmaxminddb-dev) for MaxMind-format IP databases.
        .systemLibrary(
            name: "CMaxMindDB",
            pkgConfig: "libmaxminddb",
            providers: [.apt(["libmaxminddb-dev"]), .brew(["libmaxminddb"])]
        ),
        // IP intelligence: the .mmdb reader, network classification data, the enricher.
        .target(name: "VetterNetwork", dependencies: ["VetterCore", "CMaxMindDB"]),
        .target(
            name: "VetterCLI",
            dependencies: [
                "VetterCore",
                "VetterDocuments",
                "VetterNetwork",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "vetter", dependencies: ["VetterCLI"]),
        .target(name: "VetterTesting", dependencies: ["VetterCore"]),
        .testTarget(name: "VetterCoreTests", dependencies: ["VetterCore", "VetterTesting"]),
        .testTarget(
            name: "VetterDocumentsTests",
            dependencies: ["VetterDocuments", "VetterCore", "VetterTesting", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "VetterNetworkTests", dependencies: ["VetterNetwork", "VetterCore", "CMaxMindDB"]),
        .testTarget(name: "VetterCLITests", dependencies: ["vetter", "VetterCLI", "VetterCore", "VetterTesting"]),
    ]
)

for target in package.targets where [.regular, .executable, .test].contains(target.type) {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
    ]
}
