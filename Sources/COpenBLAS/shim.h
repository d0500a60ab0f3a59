// COpenBLAS: the CBLAS interface of OpenBLAS (Debian: libopenblas-dev; include path from pkg-config "openblas").
#include <cblas.h>
// Thread control is an OpenBLAS extension declared in its cblas.h.
