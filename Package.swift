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
        .library(name: "VetterStore", targets: ["VetterStore"]),
        .library(name: "VetterStorePostgres", targets: ["VetterStorePostgres"]),
        .library(name: "VetterNetwork", targets: ["VetterNetwork"]),
        .library(name: "VetterServer", targets: ["VetterServer"]),
        .library(name: "VetterIntel", targets: ["VetterIntel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
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
        // The identity store: keyed hashes of identifiers and MinHash signatures in SQLite (GRDB).
        .target(
            name: "VetterStore",
            dependencies: [
                "VetterCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The identity store on PostgreSQL, for several screeners sharing one store (identity
        // checks, feeds and the server's review records). A separate target: postgres-nio (and
        // SwiftNIO) add minutes to a clean build. VetterServer does not depend on it: VetterCLI
        // opens the store and hands the server the protocols.
        .target(
            name: "VetterStorePostgres",
            dependencies: [
                "VetterStore",
                "VetterCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // libmaxminddb (Debian libmaxminddb-dev) for MaxMind-format IP databases.
        .systemLibrary(
            name: "CCairo",
            path: "Sources/CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"]), .brew(["cairo"])]
        ),
        .systemLibrary(
            name: "CMaxMindDB",
            pkgConfig: "libmaxminddb",
            providers: [.apt(["libmaxminddb-dev"]), .brew(["libmaxminddb"])]
        ),
        // IP intelligence: the .mmdb reader, network classification data, the enricher.
        .target(name: "VetterNetwork", dependencies: ["VetterCore", "CMaxMindDB"]),
        // Batch screening: input adapters (JSON Lines, folders, CSV, Greenhouse, Lever), the
        // ordered, resumable runner and the reports folder. The store comes in as an Enricher.
        .target(
            name: "VetterBatch",
            dependencies: ["VetterCore", .product(name: "Yams", package: "Yams")]
        ),
        // The labelled evaluation: a seeded synthetic population and the metrics of issue 8.
        .target(
            name: "VetterEval",
            dependencies: [
                "VetterCore", "VetterDocuments", "VetterNetwork", "VetterStore", "CCairo",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The HTTP API and the review queue (Hummingbird 2). VetterCore never depends on it. Résumé
        // uploads are read by the screener's readers (the executable passes the full set), so
        // this target needs no document library.
        .target(
            name: "VetterServer",
            dependencies: [
                "VetterCore",
                "VetterStore",
                "VetterIntel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Threat intelligence: STIX 2.x, MISP and plain-list feeds (stored in the identity
        // store's SQLite file), matching during screening, STIX/MISP export.
        .target(
            name: "VetterIntel",
            dependencies: ["VetterCore", "VetterStore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "VetterCLI",
            dependencies: [
                "VetterCore",
                "VetterBatch",
                "VetterEval",
                "VetterDocuments",
                "VetterNetwork",
                "VetterStore",
                "VetterStorePostgres",
                "VetterServer",
                "VetterIntel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "vetter", dependencies: ["VetterCLI"]),
        // Benchmarks for the identity store (seeded synthetic populations); not part of the tests.
        .executableTarget(name: "vetter-store-bench", dependencies: ["VetterStore", "VetterCore"]),
        .target(name: "VetterTesting", dependencies: ["VetterCore"]),
        .testTarget(name: "VetterCoreTests", dependencies: ["VetterCore", "VetterTesting"]),
        .testTarget(
            name: "VetterDocumentsTests",
            dependencies: ["VetterDocuments", "VetterCore", "VetterTesting", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "VetterStoreTests",
            dependencies: ["VetterStore", "VetterStorePostgres", "VetterCore", "VetterTesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "VetterNetworkTests", dependencies: ["VetterNetwork", "VetterEval", "VetterCore", "CMaxMindDB"]),
        .testTarget(name: "VetterBatchTests", dependencies: ["vetter", "VetterBatch", "VetterCore", "VetterTesting"]),
        .testTarget(name: "VetterEvalTests", dependencies: ["VetterEval", "VetterCore", "VetterNetwork", "VetterTesting"]),
        .testTarget(
            name: "VetterServerTests",
            dependencies: [
                "VetterServer", "VetterCore", "VetterStore", "VetterStorePostgres", "VetterTesting", "VetterDocuments", "VetterIntel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "VetterCLITests",
            dependencies: ["vetter", "VetterCLI", "VetterCore", "VetterStore", "VetterStorePostgres", "VetterTesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "VetterIntelTests", dependencies: ["VetterIntel", "VetterStore", "VetterCore", "VetterTesting"]),
    ]
)

for target in package.targets where [.regular, .executable, .test].contains(target.type) {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
    ]
}
