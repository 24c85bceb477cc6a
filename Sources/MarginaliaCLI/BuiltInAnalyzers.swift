public import MarginaliaCore
import CitationAnalyzer
import EntityAnalyzer
import StanceAnalyzer

/// The analyzers that ship with Marginalia.
public enum BuiltInAnalyzers {
    /// Every built-in analyzer type.
    public static let types: [any Analyzer.Type] = [SegmentAnalyzer.self, EntityAnalyzer.self, CitationAnalyzer.self, StanceAnalyzer.self]

    /// A registry holding the built-ins.
    public static func registry() -> AnalyzerRegistry {
        var registry = AnalyzerRegistry()
        for type in types {
            // Built-in names are distinct by construction.
            try! registry.register(registration(type))
        }
        return registry
    }

    private static func registration<A: Analyzer>(_ type: A.Type) -> AnalyzerRegistration {
        AnalyzerRegistration(type, origin: .builtIn)
    }
}
