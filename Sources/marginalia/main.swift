import MarginaliaCLI

Marginalia.main()
