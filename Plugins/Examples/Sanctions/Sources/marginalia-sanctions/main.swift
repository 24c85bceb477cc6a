import MarginaliaCLI
import SanctionsAnalyzer

// The whole marginalia CLI and REPL, with the sanctions analyzer beside the built-ins.
Marginalia.main(analyzers: [SanctionsAnalyzer.self])
