/* The engine's two hot loops, compiled: Function.apply for one to three inputs (apply.c), and
 * the plain backward pass, no create_graph, no inputs=, no anomaly mode (backward.c); the
 * module and its configuration in module.c.
 *
 * The Python engine (function.py, engine.py) is the reference and does everything; this is an
 * accelerator for the common case, as CPython's _heapq is for heapq. Everything unusual (no or
 * more than three inputs, several outputs, an in-place repin, a saved array changed in place,
 * a gradient to unbroadcast, an error to word) is handed back to the Python helpers, so the
 * rules live in one place. AUTOGRAD_PURE_PYTHON=1 runs without it; the test suite runs both
 * ways.
 *
 * Tensor and Function keep their fields in __slots__; configure() receives the member
 * descriptors, and this code reads and writes those slots at their offsets, as the descriptors
 * themselves do.
 */
#ifndef AUTOGRAD_FAST_H
#define AUTOGRAD_FAST_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#define SLOT(o, off) (*(PyObject **)((char *)(o) + (off)))

/* numpy's C API, from numpy's own headers (setup.py adds numpy.get_include()): the loops read
 * an array's fields (shape, dtype, base, flags) through numpy's accessors, PyArray_NDIM,
 * PyArray_DIMS, PyArray_DESCR, PyArray_BASE, PyArray_FLAGS, so that they cost no attribute
 * call. One table of numpy's API for the module's files, filled by import_array() in the
 * module's init (module.c defines AUTOGRAD_FAST_IMPORTS_NUMPY). A module built against numpy 2's
 * headers runs on numpy 1.23 and later too (numpy's default target, NPY_FEATURE_VERSION). */
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL autograd_fast_ARRAY_API
#ifndef AUTOGRAD_FAST_IMPORTS_NUMPY
#define NO_IMPORT_ARRAY
#endif
#include <numpy/arrayobject.h>

#define AOBJ(o) ((PyArrayObject *)(o))

/* what configure() was given (module.c) */
extern PyTypeObject *Tensor_type, *Function_type, *raw_ctx_type;
extern PyObject *clock_obj, *SELF, *FREED, *empty_tuple, *zero;
extern PyObject *python_apply, *next_seq, *repin, *to_array, *check_saved, *name_the_rule,
    *fill_missing, *arity_error, *unbroadcast, *add_multi, *asarray, *installed_apply,
    *watch_pinned, *python_backward, *ones, *python_saved_tensors, *multiply, *bool_dtype,
    *out_kwnames, *ufunc_functions, *python_array_ufunc, *add_reduce, *link_view,
    *pin_view, *watch_family, *writes_input, *retained;
extern Py_ssize_t IN_PLACE_FROM;
extern PyObject *s_forward, *s_backward, *s_value, *s_outputs, *s_shape, *s_dtype,
    *s_astype, *s_n_out, *s_out_meta, *s_copy, *s_apply;
extern Py_ssize_t T_data, T_grad, T_requires_grad, T_grad_fn, T_name, T_nr, T_pinned, T_base;
extern Py_ssize_t F_needs, F_saved, F_next, F_ids, F_out_ids, F_out, F_born, F_seq,
    F_owned, F_names;
extern int configured;

/* Whether a reference count of 1 proves that nothing else holds an object, which the in-place
 * writes (writes_into, methods.c) and the hand-over (run_node, backward.c) rely on: proven for
 * CPython 3.10 to 3.13 with the GIL only (3.14 borrows references on the stack; a free-threaded
 * build counts otherwise). REFCOUNTS_PROVABLE is this build's part; refcounts_proven, set by
 * configure(), adds the interpreter's (autograd._core.OWNERSHIP_PROVEN, which a test switch
 * can turn off). */
#if defined(Py_GIL_DISABLED) || PY_VERSION_HEX < 0x030A0000 || PY_VERSION_HEX >= 0x030E0000
#define REFCOUNTS_PROVABLE 0
#else
#define REFCOUNTS_PROVABLE 1
#endif
extern int refcounts_proven;
extern PyTypeObject OpMethod_type, CMethod_type;    /* methods.c */
extern PyTypeObject Dual_type;                      /* apply.c */
extern PyTypeObject Mode_type;                      /* mode.c */
int mode_enabled(void);
int mode_anomaly(void);
void mode_set_enabled(int on);

PyObject *fast_apply(PyObject *module, PyObject *const *args, Py_ssize_t nargsf,
                     PyObject *kwnames);
PyObject *fast_backward(PyObject *module, PyObject *args);
PyObject *tensor_backward(PyObject *module, PyObject *const *args, Py_ssize_t nargsf,
                          PyObject *kwnames);
PyObject *fast_grad_times(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
PyObject *tensor_data_get(PyObject *module, PyObject *t);          /* methods.c */
PyObject *ctx_save_for_backward(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
PyObject *ctx_saved_get(PyObject *module, PyObject *ctx);
PyObject *tensor_array_ufunc(PyObject *module, PyObject *const *args, size_t nargsf,
                             PyObject *kwnames);
PyObject *tensor_data_set(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
PyObject *new_tensor(PyObject *data, PyObject *requires_grad, PyObject *grad_fn,
                     PyObject *pinned);

/* Store a new reference (stolen) in a slot, releasing the old value. */
static inline void
set_slot(PyObject *o, Py_ssize_t off, PyObject *v)
{
    PyObject *old = SLOT(o, off);
    SLOT(o, off) = v;
    Py_XDECREF(old);
}

static inline void
set_slot_borrowed(PyObject *o, Py_ssize_t off, PyObject *v)
{
    Py_INCREF(v);
    set_slot(o, off, v);
}

/* A slot read, as the descriptor does it: an unset slot is an AttributeError. */
static inline PyObject *
get_slot(PyObject *o, Py_ssize_t off, const char *name)
{
    PyObject *v = SLOT(o, off);
    if (v == NULL)
        PyErr_Format(PyExc_AttributeError, "'%.100s' object has no attribute '%s'",
                     Py_TYPE(o)->tp_name, name);
    return v;
}

/* Whether node is a Function that still keeps its saved arrays (inplace._keeps, for the node
 * behind a pin: freed after its backward, a marker takes the tuple's place). */
static inline int
keeps_saved(PyObject *node)
{
    return node != NULL && PyObject_TypeCheck(node, Function_type) &&
           SLOT(node, F_saved) != NULL && PyTuple_CheckExact(SLOT(node, F_saved));
}

static inline int
truth(PyObject *v)
{
    if (v == Py_True)
        return 1;
    if (v == Py_False || v == Py_None)
        return 0;
    return PyObject_IsTrue(v);
}

#endif
