// swift-tools-version: 6.1
import PackageDescription

// An analyzer package of its own, as a user would write one: it depends on Marginalia (here by path; elsewhere by
// its git URL) and builds a `marginalia-sanctions` binary with the whole CLI and REPL plus its analyzer.
let package = Package(
    name: "MarginaliaSanctions",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Marginalia", path: "../../.."),
    ],
    targets: [
        .target(
            name: "SanctionsAnalyzer",
            dependencies: [.product(name: "MarginaliaKit", package: "Marginalia")]
        ),
        .executableTarget(
            name: "marginalia-sanctions",
            dependencies: ["SanctionsAnalyzer", .product(name: "MarginaliaKit", package: "Marginalia")]
        ),
        .testTarget(
            name: "SanctionsAnalyzerTests",
            dependencies: ["SanctionsAnalyzer", .product(name: "MarginaliaKit", package: "Marginalia")]
        ),
    ]
)
