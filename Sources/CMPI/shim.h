// The MPI C API for Swift. MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, MPI_IN_PLACE …)
// are macros over casts that Swift cannot import, so each is wrapped in an inline function.
#include <mpi.h>

static inline MPI_Comm tsfc_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype tsfc_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype tsfc_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype tsfc_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype tsfc_mpi_int(void) { return MPI_INT; }
static inline MPI_Op tsfc_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op tsfc_mpi_max(void) { return MPI_MAX; }
static inline void *tsfc_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int tsfc_mpi_success(void) { return MPI_SUCCESS; }
static inline int tsfc_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
