// swift-tools-version:6.0
import PackageDescription

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

        // MARK: Core library: never prints, never exits
        .target(
            name: "SLAReport",
            dependencies: ["CLibCSV", "CZlib", "CCrypto", "CSystem", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: [.unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),

        // MARK: Executables
        .executableTarget(
            name: "slareport",
            dependencies: ["SLAReport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "slagen",
            dependencies: ["SLAReport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: Fuzzing (scripts/fuzz builds slareport-fuzz with libFuzzer; the normal build gets a
        // plain main that replays files through the same harness)
        .target(name: "SLAReportFuzzSupport", dependencies: ["SLAReport"]),
        .executableTarget(name: "slareport-fuzz", dependencies: ["SLAReport", "SLAReportFuzzSupport"]),

        // MARK: Tests
        .testTarget(name: "SLAReportTests", dependencies: ["SLAReport", "SLAReportFuzzSupport"]),
        .testTarget(name: "slareportCLITests", dependencies: ["SLAReport"]),
    ]
)
