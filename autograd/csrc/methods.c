/* Tensor's operators and one-op methods (t + u, u - t, t @ w, t.relu(), ...), compiled.
 *
 * In tensor.py each of these is a one-line Python method, `return Add.apply(self, other)`;
 * that Python frame costs about as much as the compiled apply it calls. An OpMethod does the
 * same call without the frame: it is a method descriptor (as the methods of built-in types
 * are), so `t + u` and `t.relu()` call it with self first and nothing bound, and it hands
 * (cls, self, other) to the compiled apply. engine._load_compiled() puts one in place of each
 * such method, and keeps the Python method as its __wrapped__.
 *
 * An in-place OpMethod (into=True: +=, -=, relu_()) applies cls (AddInPlace, ...) and rebinds
 * self to the output when the array can be written (writes_into, as Tensor._alone and _fits
 * decide it); in every other case it calls the Python method, which has all the rules.
 *
 * The compiled apply is called directly only while cls.apply is still the one configure()
 * installed: detect_anomaly() swaps Function.apply, and a subclass may define its own, and
 * then cls.apply is looked up and called, as the Python method does.
 */
#include "fast.h"

static PyObject *apply_function(PyObject *const *stack, Py_ssize_t n);

/* What OpMethod and CMethod (below) share, first in both: the descriptor's own part. */
#define METHOD_HEAD                                                     \
    PyObject_HEAD                                                       \
    PyObject *wrapped;      /* the Python method this one replaces */   \
    PyObject *name;                                                     \
    vectorcallfunc vectorcall;

typedef struct {
    METHOD_HEAD
} MethodHead;

/* The head's part of a new method object: the Python method it replaces, its name. */
static int
head_init(PyObject *self_, PyObject *wrapped, vectorcallfunc vectorcall)
{
    MethodHead *m = (MethodHead *)self_;
    if ((m->name = PyObject_GetAttrString(wrapped, "__name__")) == NULL)
        return -1;
    m->wrapped = Py_NewRef(wrapped);
    m->vectorcall = vectorcall;
    return 0;
}

static void
head_dealloc(PyObject *self_)
{
    MethodHead *m = (MethodHead *)self_;
    Py_CLEAR(m->wrapped);
    Py_CLEAR(m->name);
    Py_TYPE(self_)->tp_free(self_);
}

typedef struct {
    METHOD_HEAD
    PyObject *cls;          /* the Function subclass */
    int nargs;              /* 1 (self) or 2 (self, other) */
    int reflected;          /* __radd__ and co.: apply(cls, other, self) */
    int into;               /* +=, -=, relu_(): cls writes into self's own array (below) */
} OpMethod;

static int writes_into(PyObject *self, PyObject *other, Py_ssize_t n);

static PyObject *
op_vectorcall(PyObject *self_, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    OpMethod *op = (OpMethod *)self_;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    if (n != op->nargs || (kwnames != NULL && PyTuple_GET_SIZE(kwnames))) {
        /* the Python method words the error, as before */
        return PyObject_Vectorcall(op->wrapped, args, nargsf, kwnames);
    }
    if (op->into) {
        int k = writes_into(args[0], n == 2 ? args[1] : NULL, n);
        if (k < 0)
            return NULL;
        if (!k)     /* every other case, and every error, is the Python method's */
            return PyObject_Vectorcall(op->wrapped, args, nargsf, kwnames);
        PyObject *stack[3] = {op->cls, args[0], n == 2 ? args[1] : NULL};
        PyObject *out = apply_function(stack, n);
        if (out == NULL)
            return NULL;
        /* Tensor._rebind: self now stands for the output, whose node has self's old node as
         * its input (the array is the same one, written) */
        PyObject *self = args[0];
        set_slot_borrowed(self, T_data, SLOT(out, T_data));
        set_slot_borrowed(self, T_grad_fn, SLOT(out, T_grad_fn));
        set_slot_borrowed(self, T_nr, SLOT(out, T_nr));
        set_slot_borrowed(self, T_requires_grad, SLOT(out, T_requires_grad));
        set_slot_borrowed(self, T_pinned, SLOT(out, T_pinned));
        Py_DECREF(out);
        return Py_NewRef(self);
    }
    PyObject *stack[3];
    stack[0] = op->cls;
    if (op->reflected) {
        stack[1] = args[1];
        stack[2] = args[0];
    }
    else {
        stack[1] = args[0];
        if (n == 2)
            stack[2] = args[1];
    }
    return apply_function(stack, n);
}

/* Whether `self op= other` (n == 2) or self.relu_() (n == 1) can be written into self's own
 * array, as the Python method decides it (Tensor._inplace with _alone and _fits): gradients
 * are recorded (no anomaly mode: the Python method does that), self is a tensor of the graph
 * that is not a leaf, no node saved its array (no pin), the array is a plain ndarray, no view,
 * writeable, and no one but self holds it (reference count 1: the slot; the Python method
 * counts its own local and argument as well), and other is a tensor or array of the same dtype
 * whose shape broadcasts into self's. Never where reference counts are not proven to mean
 * that (refcounts_proven: the Python method then writes a new array too). 1 yes, 0 no (the
 * Python method then does it all). */
static int
writes_into(PyObject *self, PyObject *other, Py_ssize_t n)
{
    if (!configured || !refcounts_proven || !mode_enabled() || mode_anomaly() ||
        Py_TYPE(self) != Tensor_type)
        return 0;
    if (SLOT(self, T_requires_grad) != Py_True || SLOT(self, T_pinned) != Py_None)
        return 0;
    PyObject *fn = SLOT(self, T_grad_fn), *d = SLOT(self, T_data);
    if (fn == NULL || fn == Py_None || d == NULL || !PyArray_CheckExact(d) ||
        Py_REFCNT(d) != 1 || PyArray_BASE(AOBJ(d)) != NULL || !PyArray_ISWRITEABLE(AOBJ(d)))
        return 0;
    if (n == 1)
        return 1;
    PyObject *o = other;
    if (PyObject_TypeCheck(o, Tensor_type))
        o = SLOT(o, T_data);
    /* a number, an equal dtype that is another object: the Python method's */
    if (o == NULL || !PyArray_CheckExact(o) || PyArray_DESCR(AOBJ(o)) != PyArray_DESCR(AOBJ(d)))
        return 0;
    int nd = PyArray_NDIM(AOBJ(d)), no = PyArray_NDIM(AOBJ(o)), off = nd - no;
    if (off < 0)
        return 0;
    const npy_intp *dd = PyArray_DIMS(AOBJ(d)), *od = PyArray_DIMS(AOBJ(o));
    for (int k = 0; k < no; k++) {
        npy_intp m = od[k];
        if (m != 1 && m != dd[off + k])
            return 0;
    }
    return 1;
}

/* cls.apply(*inputs) for stack = (cls, *inputs): the compiled apply itself while it is the one
 * in place, else whatever cls.apply is now. */
static PyObject *
apply_function(PyObject *const *stack, Py_ssize_t n)
{
    PyObject *apply = _PyType_Lookup((PyTypeObject *)stack[0], s_apply);   /* borrowed */
    if (apply != NULL && apply == installed_apply)
        return fast_apply(NULL, stack, n + 1, NULL);
    PyObject *bound = PyObject_GetAttr(stack[0], s_apply);
    if (bound == NULL)
        return NULL;
    PyObject *r = PyObject_Vectorcall(bound, stack + 1, n, NULL);
    Py_DECREF(bound);
    return r;
}

static PyObject *
op_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *cls, *wrapped;
    int nargs, reflected, into = 0;
    static char *kwlist[] = {"cls", "wrapped", "nargs", "reflected", "into", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOip|p:OpMethod", kwlist, &cls, &wrapped,
                                     &nargs, &reflected, &into))
        return NULL;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "autograd._fast is not configured");
        return NULL;
    }
    if (!PyType_Check(cls) || !PyType_IsSubtype((PyTypeObject *)cls, Function_type)) {
        PyErr_SetString(PyExc_TypeError, "OpMethod: cls must be a Function subclass");
        return NULL;
    }
    if (!PyCallable_Check(wrapped)) {
        PyErr_SetString(PyExc_TypeError, "OpMethod: wrapped must be callable");
        return NULL;
    }
    if (nargs != 1 && nargs != 2) {
        PyErr_SetString(PyExc_ValueError, "OpMethod: nargs must be 1 or 2");
        return NULL;
    }
    if (reflected && nargs != 2) {
        PyErr_SetString(PyExc_ValueError, "OpMethod: only a binary method can be reflected");
        return NULL;
    }
    if (into && reflected) {
        PyErr_SetString(PyExc_ValueError, "OpMethod: an in-place method cannot be reflected");
        return NULL;
    }
    OpMethod *op = (OpMethod *)type->tp_alloc(type, 0);
    if (op == NULL)
        return NULL;
    op->cls = Py_NewRef(cls);
    op->nargs = nargs;
    op->reflected = reflected;
    op->into = into;
    if (head_init((PyObject *)op, wrapped, op_vectorcall) < 0) {
        Py_DECREF(op);
        return NULL;
    }
    return (PyObject *)op;
}

static void
op_dealloc(PyObject *self_)
{
    PyObject_GC_UnTrack(self_);
    Py_CLEAR(((OpMethod *)self_)->cls);
    head_dealloc(self_);
}

static int
op_traverse(PyObject *self_, visitproc visit, void *arg)
{
    OpMethod *op = (OpMethod *)self_;
    Py_VISIT(op->cls);
    Py_VISIT(op->wrapped);
    return 0;
}

/* t.__add__ (an attribute read, not a call through the operator): a bound method. */
static PyObject *
op_descr_get(PyObject *self_, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None)
        return Py_NewRef(self_);
    return PyMethod_New(self_, obj);
}

static PyObject *
op_get_doc(PyObject *self_, void *closure)
{
    return PyObject_GetAttrString(((MethodHead *)self_)->wrapped, "__doc__");
}

static PyObject *
op_get_qualname(PyObject *self_, void *closure)
{
    return PyObject_GetAttrString(((MethodHead *)self_)->wrapped, "__qualname__");
}

static PyObject *
op_repr(PyObject *self_)
{
    OpMethod *op = (OpMethod *)self_;
    return PyUnicode_FromFormat("<compiled method %U of %s: %s.apply>", op->name,
                                Tensor_type->tp_name, ((PyTypeObject *)op->cls)->tp_name);
}

static PyMemberDef op_members[] = {
    {"__wrapped__", T_OBJECT, offsetof(OpMethod, wrapped), READONLY,
     "the Python method this one replaces"},
    {"__name__", T_OBJECT, offsetof(OpMethod, name), READONLY, NULL},
    {"function", T_OBJECT, offsetof(OpMethod, cls), READONLY, "the Function it applies"},
    {"reflected", T_BOOL, offsetof(OpMethod, reflected), READONLY,
     "whether the operands are swapped (__radd__ and co.)"},
    {"into", T_BOOL, offsetof(OpMethod, into), READONLY,
     "whether it writes into self's array when it can (+=, -=, relu_()), else calls the "
     "Python method"},
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(OpMethod, vectorcall), READONLY},
    {NULL},
};

static PyGetSetDef op_getset[] = {
    {"__doc__", op_get_doc, NULL, NULL, NULL},
    {"__qualname__", op_get_qualname, NULL, NULL, NULL},
    {NULL},
};

PyTypeObject OpMethod_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "autograd._fast.OpMethod",
    .tp_doc = "OpMethod(cls, wrapped, nargs, reflected, into=False): a Tensor method that is "
              "cls.apply of its operands, compiled (see autograd/csrc/methods.c).",
    .tp_basicsize = sizeof(OpMethod),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL |
                Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_new = op_new,
    .tp_dealloc = op_dealloc,
    .tp_traverse = op_traverse,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(OpMethod, vectorcall),
    .tp_descr_get = op_descr_get,
    .tp_repr = op_repr,
    .tp_members = op_members,
    .tp_getset = op_getset,
};

/* CMethod(func, wrapped): a method whose work is the compiled function func, called with self
 * first (Tensor.backward: backward.c's tensor_backward; Function.save_for_backward), in place
 * of the Python method wrapped, which stays its reference and its __wrapped__. */
typedef struct {
    METHOD_HEAD
    PyObject *func;
} CMethod;

static PyObject *
cm_vectorcall(PyObject *self_, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    return PyObject_Vectorcall(((CMethod *)self_)->func, args, nargsf, kwnames);
}

static PyObject *
cm_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *func, *wrapped;
    static char *kwlist[] = {"func", "wrapped", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO:CMethod", kwlist, &func, &wrapped))
        return NULL;
    if (!PyCallable_Check(func) || !PyCallable_Check(wrapped)) {
        PyErr_SetString(PyExc_TypeError, "CMethod: func and wrapped must be callable");
        return NULL;
    }
    CMethod *m = (CMethod *)type->tp_alloc(type, 0);
    if (m == NULL)
        return NULL;
    m->func = Py_NewRef(func);
    if (head_init((PyObject *)m, wrapped, cm_vectorcall) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return (PyObject *)m;
}

static void
cm_dealloc(PyObject *self_)
{
    PyObject_GC_UnTrack(self_);
    Py_CLEAR(((CMethod *)self_)->func);
    head_dealloc(self_);
}

static int
cm_traverse(PyObject *self_, visitproc visit, void *arg)
{
    Py_VISIT(((CMethod *)self_)->func);
    Py_VISIT(((CMethod *)self_)->wrapped);
    return 0;
}

static PyObject *
cm_repr(PyObject *self_)
{
    PyObject *q = op_get_qualname(self_, NULL), *r;
    if (q == NULL)
        return NULL;
    r = PyUnicode_FromFormat("<compiled method %S>", q);
    Py_DECREF(q);
    return r;
}

static PyMemberDef cm_members[] = {
    {"__wrapped__", T_OBJECT, offsetof(CMethod, wrapped), READONLY,
     "the Python method this one replaces"},
    {"__name__", T_OBJECT, offsetof(CMethod, name), READONLY, NULL},
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(CMethod, vectorcall), READONLY},
    {NULL},
};

PyTypeObject CMethod_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "autograd._fast.CMethod",
    .tp_doc = "CMethod(func, wrapped): a method done by the compiled function func (see "
              "autograd/csrc/methods.c).",
    .tp_basicsize = sizeof(CMethod),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL |
                Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_new = cm_new,
    .tp_dealloc = cm_dealloc,
    .tp_traverse = cm_traverse,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(CMethod, vectorcall),
    .tp_descr_get = op_descr_get,
    .tp_repr = cm_repr,
    .tp_members = cm_members,
    .tp_getset = op_getset,
};

/* Tensor.data, read and written (tensor.py's property is the reference). Reading the array of
 * a tensor that a node saved is watched (inplace.watch_pinned); the common pinned case here is
 * a weight whose nodes have all run backward or are gone (one weak reference, or a list of
 * them), and then the pin simply lapses, as watch_pinned does it; every other pinned case is
 * handed to watch_pinned. */
static int
pin_lapsed(PyObject *pin)
{
    if (PyWeakref_CheckRef(pin))
        return !keeps_saved(PyWeakref_GET_OBJECT(pin));
    if (!PyList_CheckExact(pin))
        return 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(pin); i++) {
        PyObject *r = PyList_GET_ITEM(pin, i);
        if (!PyWeakref_CheckRef(r) || keeps_saved(PyWeakref_GET_OBJECT(r)))
            return 0;
    }
    return 1;
}

PyObject *
tensor_data_get(PyObject *module, PyObject *t)
{
    if (!configured || !PyObject_TypeCheck(t, Tensor_type)) {
        PyErr_SetString(PyExc_TypeError, "data_get: expects a Tensor");
        return NULL;
    }
    PyObject *pin = get_slot(t, T_pinned, "_pinned"), *base = get_slot(t, T_base, "_base");
    if (pin == NULL || base == NULL)
        return NULL;
    if (base != Py_None) {
        /* one of several tensors over the same memory: watch every member a node saved */
        PyObject *r = PyObject_CallOneArg(watch_family, t);
        if (r == NULL)
            return NULL;
        Py_DECREF(r);
    }
    else if (pin != Py_None) {
        if (pin_lapsed(pin))
            set_slot_borrowed(t, T_pinned, Py_None);
        else {
            PyObject *r = PyObject_CallOneArg(watch_pinned, t);
            if (r == NULL)
                return NULL;
            Py_DECREF(r);
        }
    }
    PyObject *data = get_slot(t, T_data, "_data");
    Py_XINCREF(data);
    return data;
}

PyObject *
tensor_data_set(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !configured || !PyObject_TypeCheck(args[0], Tensor_type)) {
        PyErr_SetString(PyExc_TypeError, "data_set: expects a Tensor and a value");
        return NULL;
    }
    PyObject *value = args[1];
    /* replacing the array leaves the old one, which a node may have saved, intact */
    if (PyArray_Check(value))
        Py_INCREF(value);
    else if ((value = PyObject_CallOneArg(asarray, value)) == NULL)
        return NULL;
    set_slot(args[0], T_data, value);
    Py_RETURN_NONE;
}

/* Function.save_for_backward(ctx, *xs) and Function.saved_tensors, read (function.py's are the
 * reference): what forward keeps for backward, in the ctx's _saved slot. Reading it in a plain
 * backward gives the arrays themselves; a freed ctx (its error) and a recorded backward (the
 * saved arrays as Tensors linked to the graph) go to the Python property. */
PyObject *
ctx_save_for_backward(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || !configured || !PyObject_TypeCheck(args[0], Function_type)) {
        PyErr_SetString(PyExc_TypeError, "save_for_backward: expects a Function's ctx");
        return NULL;
    }
    PyObject *saved = PyTuple_New(nargs - 1);
    if (saved == NULL)
        return NULL;
    for (Py_ssize_t i = 1; i < nargs; i++)
        PyTuple_SET_ITEM(saved, i - 1, Py_NewRef(args[i]));
    set_slot(args[0], F_saved, saved);
    Py_RETURN_NONE;
}

PyObject *
ctx_saved_get(PyObject *module, PyObject *ctx)
{
    if (!configured || !PyObject_TypeCheck(ctx, Function_type)) {
        PyErr_SetString(PyExc_TypeError, "saved_tensors: expects a Function's ctx");
        return NULL;
    }
    PyObject *saved = get_slot(ctx, F_saved, "_saved");
    if (saved == NULL)
        return NULL;
    if (saved == FREED || mode_enabled())
        return PyObject_CallOneArg(python_saved_tensors, ctx);
    return Py_NewRef(saved);
}

/* Tensor.__array_ufunc__(self, ufunc, method, *inputs, **kwargs), compiled for what numpy calls
 * it with in `array + t`, `array @ w` and co.: the ufunc of one of Tensor's operators
 * (ufunc_functions: np.add -> Add, np.matmul -> MatMul, ...) called plainly, which is that
 * Function's apply on the inputs. Everything else goes to the Python method (interop.py). */
PyObject *
tensor_array_ufunc(PyObject *module, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t n = PyVectorcall_NARGS(nargsf), ni = n - 3;
    if (configured && ni >= 1 && ni <= 2 && (kwnames == NULL || !PyTuple_GET_SIZE(kwnames)) &&
        PyUnicode_Check(args[2]) && PyUnicode_CompareWithASCIIString(args[2], "__call__") == 0) {
        PyObject *cls = PyDict_GetItemWithError(ufunc_functions, args[1]);     /* borrowed */
        if (cls == NULL && PyErr_Occurred())
            return NULL;
        if (cls != NULL) {
            PyObject *stack[3] = {cls, args[3], ni == 2 ? args[4] : NULL};
            return apply_function(stack, ni);
        }
    }
    return PyObject_Vectorcall(python_array_ufunc, args, nargsf, kwnames);
}
