/* The module autograd._fast: what configure() receives, and the method table. Its init
 * imports numpy's C API (import_array), which the loops read arrays with. */
#define AUTOGRAD_FAST_IMPORTS_NUMPY
#include "fast.h"

PyTypeObject *Tensor_type, *Function_type, *raw_ctx_type;
PyObject *clock_obj, *SELF, *FREED, *empty_tuple, *zero;
PyObject *python_apply, *next_seq, *repin, *to_array, *check_saved, *name_the_rule,
    *fill_missing, *arity_error, *unbroadcast, *add_multi, *asarray, *installed_apply,
    *watch_pinned, *python_backward, *ones, *python_saved_tensors, *multiply, *bool_dtype,
    *out_kwnames, *ufunc_functions, *python_array_ufunc, *add_reduce, *link_view,
    *pin_view, *watch_family, *writes_input, *retained;
Py_ssize_t IN_PLACE_FROM;
PyObject *s_forward, *s_backward, *s_value, *s_outputs, *s_shape, *s_dtype,
    *s_astype, *s_n_out, *s_out_meta, *s_copy, *s_apply;
Py_ssize_t T_data, T_grad, T_requires_grad, T_grad_fn, T_name, T_nr, T_pinned, T_base;
Py_ssize_t F_needs, F_saved, F_next, F_ids, F_out_ids, F_out, F_born, F_seq, F_owned, F_names;
int configured = 0;
int refcounts_proven = 0;     /* fast.h */

static int
offset_of(PyObject *descrs, const char *name, Py_ssize_t *off)
{
    PyObject *d = PyDict_GetItemString(descrs, name);
    if (d == NULL || !Py_IS_TYPE(d, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "_fast.configure: %s is not a slot", name);
        return -1;
    }
    PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
    if (m->type != T_OBJECT_EX) {
        PyErr_Format(PyExc_TypeError, "_fast.configure: slot %s is not an object slot", name);
        return -1;
    }
    *off = m->offset;
    return 0;
}

#define TAKE(var, key)                                                  \
    do {                                                                \
        PyObject *v_ = PyDict_GetItemString(objs, key);                 \
        if (v_ == NULL) {                                               \
            PyErr_Format(PyExc_KeyError, "_fast.configure: %s", key);  \
            return NULL;                                                \
        }                                                               \
        Py_INCREF(v_);                                                  \
        Py_XSETREF(var, v_);                                            \
    } while (0)

static PyObject *
configure(PyObject *self, PyObject *args)
{
    PyObject *objs, *tensor_slots, *function_slots;
    if (!PyArg_ParseTuple(args, "O!O!O!", &PyDict_Type, &objs, &PyDict_Type, &tensor_slots,
                          &PyDict_Type, &function_slots))
        return NULL;
    PyObject *mode = PyDict_GetItemString(objs, "mode");
    if (mode == NULL || !Py_IS_TYPE(mode, &Mode_type)) {
        PyErr_SetString(PyExc_TypeError, "_fast.configure: the gradient mode must be a "
                        "_fast.Mode (mode.py makes one when the compiled loops are built)");
        return NULL;
    }
    PyObject *tensor = NULL, *function = NULL, *raw_ctx = NULL;
    TAKE(tensor, "Tensor");
    TAKE(function, "Function");
    TAKE(raw_ctx, "RawCtx");
    if (!PyType_Check(tensor) || !PyType_Check(function) || !PyType_Check(raw_ctx)) {
        Py_DECREF(tensor);
        Py_DECREF(function);
        Py_DECREF(raw_ctx);
        PyErr_SetString(PyExc_TypeError, "_fast.configure: Tensor, Function, RawCtx: types");
        return NULL;
    }
    Py_XSETREF(Tensor_type, (PyTypeObject *)tensor);
    Py_XSETREF(Function_type, (PyTypeObject *)function);
    Py_XSETREF(raw_ctx_type, (PyTypeObject *)raw_ctx);
    TAKE(clock_obj, "clock");
    TAKE(SELF, "SELF");
    TAKE(FREED, "FREED");
    TAKE(python_apply, "python_apply");
    TAKE(next_seq, "next_seq");
    TAKE(repin, "repin");
    TAKE(to_array, "to_array");
    TAKE(check_saved, "check_saved");
    TAKE(name_the_rule, "name_the_rule");
    TAKE(fill_missing, "fill_missing");
    TAKE(arity_error, "arity_error");
    TAKE(unbroadcast, "unbroadcast");
    TAKE(add_multi, "add");
    TAKE(asarray, "asarray");
    TAKE(installed_apply, "apply");
    TAKE(watch_pinned, "watch_pinned");
    TAKE(python_backward, "backward");
    TAKE(ones, "ones");
    TAKE(python_saved_tensors, "saved_tensors");
    TAKE(multiply, "multiply");
    TAKE(bool_dtype, "bool_dtype");
    TAKE(python_array_ufunc, "array_ufunc");
    TAKE(add_reduce, "add_reduce");
    TAKE(link_view, "link");
    TAKE(pin_view, "pin_view");
    TAKE(watch_family, "watch_family");
    TAKE(writes_input, "writes_input");
    TAKE(retained, "retained");
    PyObject *from = PyDict_GetItemString(objs, "in_place_from");
    if (from == NULL || (IN_PLACE_FROM = PyLong_AsSsize_t(from)) < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "_fast.configure: in_place_from");
        return NULL;
    }
    PyObject *proven = PyDict_GetItemString(objs, "ownership_proven");
    if (proven == NULL) {
        PyErr_SetString(PyExc_KeyError, "_fast.configure: ownership_proven");
        return NULL;
    }
    int p = PyObject_IsTrue(proven);
    if (p < 0)
        return NULL;
    if (!PyDict_Check(ones)) {
        PyErr_SetString(PyExc_TypeError, "_fast.configure: ones must be a dict");
        return NULL;
    }
    if (offset_of(tensor_slots, "_data", &T_data) || offset_of(tensor_slots, "_grad", &T_grad) ||
        offset_of(tensor_slots, "requires_grad", &T_requires_grad) ||
        offset_of(tensor_slots, "grad_fn", &T_grad_fn) ||
        offset_of(tensor_slots, "name", &T_name) || offset_of(tensor_slots, "_nr", &T_nr) ||
        offset_of(tensor_slots, "_pinned", &T_pinned) ||
        offset_of(tensor_slots, "_base", &T_base) ||
        offset_of(function_slots, "needs_input_grad", &F_needs) ||
        offset_of(function_slots, "_saved", &F_saved) ||
        offset_of(function_slots, "_next", &F_next) ||
        offset_of(function_slots, "_ids", &F_ids) ||
        offset_of(function_slots, "_out_ids", &F_out_ids) ||
        offset_of(function_slots, "_out", &F_out) ||
        offset_of(function_slots, "_born", &F_born) ||
        offset_of(function_slots, "_seq", &F_seq) ||
        offset_of(function_slots, "_grad_owned", &F_owned) ||
        offset_of(function_slots, "_names", &F_names))
        return NULL;
    refcounts_proven = REFCOUNTS_PROVABLE && p;
    configured = 1;
    Py_RETURN_NONE;
}

static PyObject *
ownership_proven(PyObject *self, PyObject *unused)
{
    return PyBool_FromLong(refcounts_proven);
}

static PyMethodDef methods[] = {
    {"ownership_proven", ownership_proven, METH_NOARGS,
     "ownership_proven(): whether the in-place writes and the hand-over run (a reference count "
     "of 1 taken to prove that nothing else holds an object): this build's REFCOUNTS_PROVABLE "
     "and configure()'s ownership_proven."},
    {"configure", configure, METH_VARARGS,
     "configure(objects, tensor_slots, function_slots): the engine's objects and slots."},
    {"apply", (PyCFunction)(void (*)(void))fast_apply, METH_FASTCALL | METH_KEYWORDS,
     "apply(cls, *args, **kwargs): Function.apply, for one to three inputs."},
    {"data_get", tensor_data_get, METH_O, "data_get(t): Tensor.data, read."},
    {"save_for_backward", (PyCFunction)(void (*)(void))ctx_save_for_backward, METH_FASTCALL,
     "save_for_backward(ctx, *xs): Function.save_for_backward."},
    {"saved_get", ctx_saved_get, METH_O, "saved_get(ctx): Function.saved_tensors, read."},
    {"array_ufunc", (PyCFunction)(void (*)(void))tensor_array_ufunc,
     METH_FASTCALL | METH_KEYWORDS,
     "array_ufunc(t, ufunc, method, *inputs, **kwargs): Tensor.__array_ufunc__."},
    {"grad_times", (PyCFunction)(void (*)(void))fast_grad_times, METH_FASTCALL,
     "grad_times(ctx, grad_output, factor): function.grad_times."},
    {"data_set", (PyCFunction)(void (*)(void))tensor_data_set, METH_FASTCALL,
     "data_set(t, value): Tensor.data, written."},
    {"tensor_backward", (PyCFunction)(void (*)(void))tensor_backward,
     METH_FASTCALL | METH_KEYWORDS,
     "tensor_backward(t, grad=None, retain_graph=None, create_graph=False): Tensor.backward, "
     "compiled for loss.backward() on a scalar (the Python method does every other call)."},
    {"backward", fast_backward, METH_VARARGS,
     "backward(roots, buffers, leaf_grads, retain_graph, handed): the plain backward pass."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fast",
    "The engine's hot loops, compiled (see function.py and engine.py for the reference).", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__fast(void)
{
    /* numpy's C API: if it cannot be imported (a numpy older than the one this was built for
     * targets), numpy prints why and the import of this module is an ImportError, so that the
     * engine runs pure Python */
    import_array();
#define INTERN(var, s)                                  \
    if ((var = PyUnicode_InternFromString(s)) == NULL)  \
        return NULL;
    INTERN(s_forward, "forward");
    INTERN(s_backward, "backward");
    INTERN(s_value, "value");
    INTERN(s_outputs, "_outputs");
    INTERN(s_shape, "shape");
    INTERN(s_dtype, "dtype");
    INTERN(s_astype, "astype");
    INTERN(s_n_out, "_n_out");
    INTERN(s_out_meta, "_out_meta");
    INTERN(s_copy, "copy");
    INTERN(s_apply, "apply");
    PyObject *s_out;
    INTERN(s_out, "out");
    if ((empty_tuple = PyTuple_New(0)) == NULL || (zero = PyLong_FromLong(0)) == NULL ||
        (out_kwnames = PyTuple_Pack(1, s_out)) == NULL)
        return NULL;
    if (PyType_Ready(&OpMethod_type) < 0 || PyType_Ready(&CMethod_type) < 0 ||
        PyType_Ready(&Dual_type) < 0 || PyType_Ready(&Mode_type) < 0)
        return NULL;
    if ((ufunc_functions = PyDict_New()) == NULL)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && (PyModule_AddObjectRef(m, "OpMethod", (PyObject *)&OpMethod_type) < 0 ||
                      PyModule_AddObjectRef(m, "CMethod", (PyObject *)&CMethod_type) < 0 ||
                      PyModule_AddObjectRef(m, "Dual", (PyObject *)&Dual_type) < 0 ||
                      PyModule_AddObjectRef(m, "Mode", (PyObject *)&Mode_type) < 0 ||
                      PyModule_AddObjectRef(m, "ufunc_functions", ufunc_functions) < 0 ||
                      PyModule_AddIntConstant(m, "REFCOUNTS_PROVABLE", REFCOUNTS_PROVABLE) < 0))
        Py_CLEAR(m);
    return m;
}
