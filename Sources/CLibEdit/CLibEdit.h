// libedit's native API. <editline/readline.h> is deliberately not included: Marginalia uses the native API only,
// and a readline.h path could pick up GNU readline's headers instead.
#include <stdio.h>
#include <histedit.h>
