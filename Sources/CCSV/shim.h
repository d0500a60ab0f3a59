// CCSV: libcsv (Debian: libcsv-dev). libcsv ships no pkg-config file; its header is /usr/include/csv.h.
#include <csv.h>
