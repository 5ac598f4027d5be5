// swift-tools-version:6.0
import PackageDescription

/// Release builds of the library's targets skip the run-time exclusivity checks of class
/// properties (debug builds, and so the test suite and the sanitizer runs, keep them): on the
/// row loop's per-field callbacks they cost 16 % of a run. Bounds checks stay on everywhere
/// but in SLAFast.
let release: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "slareport",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "slareport", targets: ["slareport"]),
        .executable(name: "slagen", targets: ["slagen"]),
        .library(name: "SLAReport", targets: ["SLAReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: C libraries (Debian packages; libcsv-dev ships no pkg-config file)
        .systemLibrary(name: "CLibCSV", path: "Sources/CLibCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),

        // MARK: The library, in layers whose dependencies only point down (docs/architecture.md).
        // Nothing here prints or exits; only the executables do.

        // The tuned data structures and byte tricks: the only place for unsafe code and the only
        // target built with -Ounchecked. Everything it exports is safe to call.
        .target(
            name: "SLAFast",
            dependencies: ["CCrypto", "CSystem"],
            swiftSettings: [
                .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))
            ]
        ),
        // Plain values: timestamps, calendars, rows, tables, the config model, summaries.
        .target(name: "SLAModel", dependencies: ["SLAFast"], swiftSettings: release),
        // Bytes to rows: files, gzip, encodings, CSV records, header mapping, row builders.
        .target(name: "SLAIngest", dependencies: ["SLAModel", "SLAFast", "CLibCSV", "CZlib"], swiftSettings: release),
        // slareport.toml to the config model.
        .target(
            name: "SLAConfig",
            dependencies: ["SLAModel", "SLAIngest", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: release
        ),
        // Rows to period summaries: policies, clocks, accumulators, alerts.
        .target(name: "SLAMetrics", dependencies: ["SLAModel", "SLAFast"], swiftSettings: release),
        // Summaries to bytes: HTML, Markdown, CSV, JSON.
        .target(
            name: "SLAReports", dependencies: ["SLAModel", "SLAMetrics", "SLAFast", "CZlib"], swiftSettings: release),
        // Bytes to files: the output folder, its lock and the atomic publish of a generation.
        .target(name: "SLAOutput", dependencies: ["SLAModel", "SLAFast", "CSystem"], swiftSettings: release),
        // The pipeline that wires the layers: discovery, loading, dedup, the report job.
        .target(
            name: "SLAReport",
            dependencies: [
                "SLAFast", "SLAModel", "SLAIngest", "SLAConfig", "SLAMetrics", "SLAReports", "SLAOutput", "CSystem",
            ],
            swiftSettings: release
        ),

        // MARK: Executables
        .executableTarget(
            name: "slareport",
            dependencies: [
                "SLAReport", "SLAModel", "SLAConfig", "SLAOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "slagen",
            dependencies: [
                "SLAReport", "SLAModel", "SLAFast", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Fuzzing (scripts/fuzz builds slareport-fuzz with libFuzzer; the normal build gets a
        // plain main that replays files through the same harness)
        .target(
            name: "SLAReportFuzzSupport", dependencies: ["SLAReport", "SLAFast", "SLAModel", "SLAIngest", "SLAConfig"]),
        .executableTarget(name: "slareport-fuzz", dependencies: ["SLAReport", "SLAReportFuzzSupport"]),

        // MARK: Tests
        .testTarget(
            name: "SLAReportTests",
            dependencies: [
                "SLAFast", "SLAModel", "SLAIngest", "SLAConfig", "SLAMetrics", "SLAReports", "SLAOutput", "SLAReport",
                "SLAReportFuzzSupport",
            ]),
        .testTarget(
            name: "slareportCLITests",
            dependencies: [
                "SLAFast", "SLAModel", "SLAIngest", "SLAConfig", "SLAMetrics", "SLAReports", "SLAOutput", "SLAReport",
            ]),
    ]
)
