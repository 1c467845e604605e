// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Winnow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "winnow", targets: ["winnow"]),
        .library(name: "Winnow", targets: ["Winnow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // The HTTP server (`winnow serve`); its optional traits (swift-configuration) are left out.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0", traits: []),
        // Only its bcrypt (HummingbirdBcrypt, a small C library) is used: the desk's passwords.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Already there under Hummingbird; named for `winnow log verify URL`'s plain HTTP/1.1 client
        // (Foundation's URLSession would load libcurl at every start: 9 ms of a 20 ms cold start).
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // The shared registry on PostgreSQL (`--registry postgres://...`); only WinnowRegistry uses it.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
    ],
    targets: [
        // libxml2 through pkg-config (apt: libxml2-dev). Only WinnowIntake imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Value types only: no I/O.
        .target(name: "WinnowModel", swiftSettings: strict),
        // XML (libxml2 + XSD) and JSON (strict, JSON Schema) into the model, with source locations.
        .target(
            name: "WinnowIntake",
            dependencies: ["CLibXML2", "WinnowModel"],
            resources: [.copy("Schemas")],
            swiftSettings: strict
        ),
        // Facts, the rule file format, loader and linter, evaluation and scoring.
        .target(
            name: "WinnowRules",
            dependencies: [
                "WinnowModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Person-name matching across scripts and romanisations. Pure Swift, no I/O.
        .target(name: "WinnowNames", swiftSettings: strict),
        // The domestic registry: one storage interface with two implementations, SQLite through GRDB
        // (the embedded default) and PostgreSQL through postgres-nio (shared); migrations, import,
        // search, link queries. No SQL outside this module.
        .target(
            name: "WinnowRegistry",
            dependencies: ["WinnowModel", "WinnowRules", "WinnowNames", "WinnowIntake",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The tamper-evident log of screenings and decisions: an RFC 9162 Merkle tree of entries with
        // Ed25519-signed checkpoints, and its offline verifier.
        .target(
            name: "WinnowLog",
            dependencies: ["WinnowModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // Renderers: JSON (the contract), text. They format; they never compute risk.
        .target(name: "WinnowReports", dependencies: ["WinnowModel"], swiftSettings: strict),
        // The facade: intake -> facts -> rules -> report.
        .target(
            name: "Winnow",
            dependencies: ["WinnowModel", "WinnowIntake", "WinnowRules", "WinnowReports", "WinnowNames", "WinnowRegistry", "WinnowLog"],
            swiftSettings: strict
        ),
        // `winnow serve`: the HTTP API on Hummingbird 2 (routes, tokens, limits, metrics). Only this
        // module knows HTTP; it calls the same facade as the command line.
        .target(
            name: "WinnowServer",
            dependencies: [
                "Winnow", "WinnowRegistry", "WinnowLog", "WinnowNames",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.json")],
            swiftSettings: strict
        ),
        // The command line, as a library so that tests can reach it; the executable is one line.
        .target(
            name: "WinnowCLI",
            dependencies: [
                "Winnow",
                "WinnowNames",
                "WinnowRegistry",
                "WinnowServer",
                "WinnowLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "winnow", dependencies: ["WinnowCLI"], swiftSettings: strict),
        // Benchmarks (run by hand in release mode; never timed in tests).
        .executableTarget(
            name: "winnow-bench",
            dependencies: ["Winnow", "WinnowNames", "WinnowRegistry"],
            path: "Benchmarks/WinnowBench",
            swiftSettings: strict
        ),
        .testTarget(
            name: "WinnowTests",
            dependencies: ["Winnow", "WinnowIntake", "WinnowModel", "WinnowRules", "WinnowReports", "WinnowNames", "WinnowRegistry", "WinnowCLI", "WinnowServer", "WinnowLog", "winnow",
                           .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: strict
        ),
    ]
)
