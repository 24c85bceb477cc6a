// swift-tools-version: 6.1
import PackageDescription

/// Swift 6 settings shared by every target: explicit existentials and imports that say what a module exposes.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Marginalia",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "marginalia", targets: ["marginalia"]),
        .library(name: "MarginaliaKit", targets: ["MarginaliaCore", "MarginaliaIO", "MarginaliaCLI", "MarginaliaExtensions", "EntityAnalyzer", "CitationAnalyzer", "StanceAnalyzer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(
            name: "MarginaliaCore",
            dependencies: [.product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MarginaliaIO",
            dependencies: ["MarginaliaCore"],
            exclude: ["Resources/make-html-entities.py"],
            resources: [.embedInCode("Resources/html-entities.tsv")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EntityAnalyzer",
            dependencies: ["MarginaliaCore"],
            path: "Plugins/Entity",
            exclude: ["Resources/make-knowledge-base.py"],
            resources: [
                .embedInCode("Resources/curated.tsv"),
                .embedInCode("Resources/countries.tsv"),
                .embedInCode("Resources/cities.tsv"),
                .embedInCode("Resources/first-names.tsv"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CitationAnalyzer",
            dependencies: ["MarginaliaCore"],
            path: "Plugins/Citation",
            resources: [.embedInCode("Resources/reporting-predicates.tsv")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MarginaliaExtensions",
            dependencies: ["MarginaliaCore", "MarginaliaIO", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StanceAnalyzer",
            dependencies: ["MarginaliaCore"],
            path: "Plugins/Stance",
            exclude: ["Resources/make-valence.py"],
            resources: [
                .embedInCode("Resources/epistemic-markers.tsv"),
                .embedInCode("Resources/stance-predicates.tsv"),
                .embedInCode("Resources/valence.tsv"),
                .embedInCode("Resources/event-roles.tsv"),
                .embedInCode("Resources/political-valence.tsv"),
            ],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CLibEdit",
            path: "Sources/CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"]), .brew(["libedit"])]
        ),
        .target(
            name: "CLineEditShim",
            dependencies: ["CLibEdit"],
            path: "Sources/CLineEditShim"
        ),
        .target(
            name: "LineEditing",
            dependencies: ["CLibEdit", "CLineEditShim"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MarginaliaCLI",
            dependencies: [
                "MarginaliaCore",
                "MarginaliaIO",
                "LineEditing",
                "EntityAnalyzer",
                "CitationAnalyzer",
                "StanceAnalyzer",
                "MarginaliaExtensions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "marginalia",
            dependencies: ["MarginaliaCLI"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MarginaliaCoreTests",
            dependencies: ["MarginaliaCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MarginaliaIOTests",
            dependencies: ["MarginaliaCore", "MarginaliaIO"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EntityAnalyzerTests",
            dependencies: ["EntityAnalyzer", "MarginaliaCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CitationAnalyzerTests",
            dependencies: ["CitationAnalyzer", "EntityAnalyzer", "MarginaliaCore", "MarginaliaIO"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StanceAnalyzerTests",
            dependencies: ["StanceAnalyzer", "CitationAnalyzer", "EntityAnalyzer", "MarginaliaCore", "MarginaliaIO"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MarginaliaExtensionsTests",
            dependencies: ["MarginaliaExtensions", "MarginaliaCore", "MarginaliaIO", "EntityAnalyzer"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MarginaliaCLITests",
            dependencies: ["MarginaliaCLI", "LineEditing", "MarginaliaExtensions", "marginalia"],
            swiftSettings: strictSettings
        ),
    ]
)
