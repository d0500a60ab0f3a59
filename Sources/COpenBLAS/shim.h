// COpenBLAS: the CBLAS interface of OpenBLAS (Debian: libopenblas-dev; include path from pkg-config "openblas").
#include <cblas.h>
// Thread control is an OpenBLAS extension declared in its cblas.h.
// LAPACK's least-squares driver (QR), exported by libopenblas; Debian ships no lapacke.h for it,
// so it is declared here. Column-major; `trans_len` is gfortran's hidden length of `trans`.
#include <stddef.h>
void dgels_(const char *trans, const int *m, const int *n, const int *nrhs, double *a, const int *lda,
            double *b, const int *ldb, double *work, const int *lwork, int *info, size_t trans_len);
