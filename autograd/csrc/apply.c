/* Function.apply for one to three inputs (function.py's apply is the reference). */
#include "fast.h"

/* The edge to an input that requires grad: the leaf itself, or its node (with the output
 * number when not 0). A new reference, or NULL with no error for an input that needs none. */
static PyObject *
edge_of(PyObject *t)
{
    PyObject *fn = SLOT(t, T_grad_fn), *nr = SLOT(t, T_nr);
    if (fn == NULL || nr == NULL) {
        PyErr_SetString(PyExc_AttributeError, "Tensor without grad_fn or _nr");
        return NULL;
    }
    if (fn == Py_None) {
        Py_INCREF(t);
        return t;
    }
    int k = truth(nr);
    if (k < 0)
        return NULL;
    if (k)
        return PyTuple_Pack(2, fn, nr);
    Py_INCREF(fn);
    return fn;
}

/* A list pin is pruned each time its length reaches a power of two from this
 * (inplace._PRUNE_FROM). */
#define PRUNE_FROM 8

/* Drop from the list pin the weak references whose node no longer keeps its arrays; the
 * newest, last, is the node being recorded, which keeps them. */
static int
prune_pins(PyObject *pins)
{
    Py_ssize_t n = PyList_GET_SIZE(pins);
    PyObject *live = PyList_New(0);
    if (live == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = PyList_GET_ITEM(pins, i);
        if ((i == n - 1 || (PyWeakref_CheckRef(r) && keeps_saved(PyWeakref_GET_OBJECT(r)))) &&
            PyList_Append(live, r) < 0) {
            Py_DECREF(live);
            return -1;
        }
    }
    int rc = PyList_SetSlice(pins, 0, n, live);
    Py_DECREF(live);
    return rc;
}

/* Point the input tensor t, whose array ctx saved, to ctx weakly (function._pin_input, with
 * inplace.repin for a pin that still holds). */
static int
pin_slot(PyObject *t, PyObject **ref, PyObject *ctx)
{
    PyObject *p = SLOT(t, T_pinned);
    if (p == SELF) {
        if (keeps_saved(SLOT(t, T_grad_fn)))
            return 0;   /* its own node keeps it too, and runs backward after this one */
    }
    if (*ref == NULL) {
        *ref = PyWeakref_NewRef(ctx, NULL);
        if (*ref == NULL)
            return -1;
    }
    if (p == NULL || p == Py_None || p == SELF) {
        set_slot_borrowed(t, T_pinned, *ref);
        return 0;
    }
    if (p == *ref)
        return 0;
    if (PyWeakref_CheckRef(p)) {
        if (!keeps_saved(PyWeakref_GET_OBJECT(p))) {
            /* the usual case, a weight pinned by last step's node, now run or gone */
            set_slot_borrowed(t, T_pinned, *ref);
            return 0;
        }
        /* a node that still keeps it (an earlier op of this graph, or a live graph): both */
        PyObject *pins = PyList_New(2);
        if (pins == NULL)
            return -1;
        PyList_SET_ITEM(pins, 0, Py_NewRef(p));
        PyList_SET_ITEM(pins, 1, Py_NewRef(*ref));
        set_slot(t, T_pinned, pins);
        return 0;
    }
    if (PyList_CheckExact(p) && PyList_GET_SIZE(p) > 0) {
        /* several already (inplace.repin): append, and drop the lapsed ones each time the
         * length reaches a power of two */
        Py_ssize_t n = PyList_GET_SIZE(p);
        if (PyList_GET_ITEM(p, n - 1) == *ref)
            return 0;
        if (PyList_Append(p, *ref) < 0)
            return -1;
        n++;
        if (n >= PRUNE_FROM && !(n & (n - 1)))
            return prune_pins(p);
        return 0;
    }
    {
        PyObject *r = PyObject_CallFunctionObjArgs(repin, t, *ref, NULL);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
    }
    return 0;
}

/* pin_slot, and for a view (its _base is the tensor it views) inplace.pin_view: the family's
 * head keeps it while pinned, so that .data of the head or of another view watches it. */
static int
pin_input(PyObject *t, PyObject **ref, PyObject *ctx)
{
    if (pin_slot(t, ref, ctx) < 0)
        return -1;
    PyObject *b = SLOT(t, T_base);
    if (b != NULL && b != Py_None && !PyList_CheckExact(b)) {
        PyObject *r = PyObject_CallOneArg(pin_view, t);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
    }
    return 0;
}

static PyObject *
array_root(PyObject *a)
{
    PyObject *b;
    while ((b = PyArray_BASE((PyArrayObject *)a)) != NULL && PyArray_Check(b))
        a = b;
    return a;
}

/* The output's array is a view of an input tensor's array, or that array itself other than
 * for an in-place write (function._link_view): the output joins that tensor's family
 * (inplace.link). For any other output, a pointer read and n compares. */
static int
link_output(PyObject *result, PyObject *out, PyObject *cls, PyObject **datas,
            PyObject *const *inputs, Py_ssize_t n)
{
    PyObject *base = PyArray_BASE((PyArrayObject *)out), *top = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *d = datas[i];
        if (d == out) {
            int w = PySequence_Contains(writes_input, cls);
            if (w != 0)
                return w < 0 ? -1 : 0;
        }
        else if (base == NULL || !PyArray_Check(d))
            continue;
        else {
            if (top == NULL)
                top = array_root(out);
            if (array_root(d) != top)
                continue;
        }
        if (!PyObject_TypeCheck(inputs[i], Tensor_type))
            continue;
        PyObject *r = PyObject_CallFunctionObjArgs(link_view, result, inputs[i], NULL);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
        return 0;
    }
    return 0;
}

/* A Tensor on data, as Tensor._make makes one. */
PyObject *
new_tensor(PyObject *data, PyObject *requires_grad, PyObject *grad_fn, PyObject *pinned)
{
    PyObject *t = PyBaseObject_Type.tp_new(Tensor_type, empty_tuple, NULL);
    if (t == NULL)
        return NULL;
    set_slot_borrowed(t, T_data, data);
    set_slot_borrowed(t, T_grad, Py_None);
    set_slot_borrowed(t, T_requires_grad, requires_grad);
    set_slot_borrowed(t, T_grad_fn, grad_fn);
    set_slot_borrowed(t, T_name, Py_None);
    set_slot_borrowed(t, T_nr, zero);
    set_slot_borrowed(t, T_pinned, pinned);
    set_slot_borrowed(t, T_base, Py_None);
    return t;
}

/* Any other number of inputs: the Python apply (its function, called with cls first). */
static PyObject *
python_apply_call(PyObject *const *args, Py_ssize_t nall, PyObject *kwnames)
{
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    PyObject *tup = PyTuple_New(nall), *kw = PyDict_New(), *r = NULL;
    if (tup == NULL || kw == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < nall; i++) {
        Py_INCREF(args[i]);
        PyTuple_SET_ITEM(tup, i, args[i]);
    }
    for (Py_ssize_t i = 0; i < nkw; i++)
        if (PyDict_SetItem(kw, PyTuple_GET_ITEM(kwnames, i), args[nall + i]) < 0)
            goto done;
    r = PyObject_Call(python_apply, tup, kw);
done:
    Py_XDECREF(tup);
    Py_XDECREF(kw);
    return r;
}

/* cls.forward(ctx, *datas, **kwargs), the keyword values following the n arguments in kwvals. */
static PyObject *
call_forward(PyObject *cls, PyObject *ctx, PyObject **datas, Py_ssize_t n,
             PyObject *const *kwvals, PyObject *kwnames)
{
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    PyObject *stack[4 + 64];
    if (nkw > 64) {
        PyErr_SetString(PyExc_TypeError, "apply: more than 64 keyword arguments");
        return NULL;
    }
    PyObject *forward = PyObject_GetAttr(cls, s_forward);
    if (forward == NULL)
        return NULL;
    stack[0] = ctx;
    for (Py_ssize_t i = 0; i < n; i++)
        stack[1 + i] = datas[i];
    for (Py_ssize_t i = 0; i < nkw; i++)
        stack[1 + n + i] = kwvals[i];
    PyObject *out = PyObject_Vectorcall(forward, stack, 1 + n, nkw ? kwnames : NULL);
    Py_DECREF(forward);
    return out;
}

/* A tuple of n objects (None where NULL), or of n booleans (whether each is there). */
static PyObject *
tuple_of(PyObject **items, Py_ssize_t n, int as_bools)
{
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = as_bools ? (items[i] ? Py_True : Py_False) : (items[i] ? items[i] : Py_None);
        Py_INCREF(v);
        PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

/* Several outputs: ctx._outputs(out, list(datas), list(ctx._next) or None, args). */
static PyObject *
several_outputs(PyObject *ctx, PyObject *out, PyObject **datas, Py_ssize_t n,
                PyObject *const *inputs, int record)
{
    PyObject *dl = PyList_New(n), *nl = NULL, *at = PyTuple_New(n), *r = NULL;
    if (dl == NULL || at == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_INCREF(datas[i]);
        PyList_SET_ITEM(dl, i, datas[i]);
        Py_INCREF(inputs[i]);
        PyTuple_SET_ITEM(at, i, inputs[i]);
    }
    nl = record ? PySequence_List(SLOT(ctx, F_next)) : Py_NewRef(Py_None);
    if (nl != NULL)
        r = PyObject_CallMethodObjArgs(ctx, s_outputs, out, dl, nl, at, NULL);
done:
    Py_XDECREF(dl);
    Py_XDECREF(nl);
    Py_XDECREF(at);
    return r;
}

/* What a recording node keeps beside what it saved: the ids of its inputs' and output's arrays
 * (saved_tensors under create_graph maps them back), the in-place clock, and the pins. Sets
 * *out_pinned when it saved its own output; *pinned holds the weak reference to ctx, if made. */
static int
note_saved(PyObject *ctx, PyObject *saved, PyObject **datas, Py_ssize_t n, PyObject *out,
           PyObject *const *inputs, int *out_pinned, PyObject **pinned)
{
    /* 0-d results come back from numpy as scalars: the saved object is the original */
    PyObject *ids = PyTuple_New(n), *oid, *born, *fast;
    if (ids == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *id = PyLong_FromVoidPtr(datas[i]);
        if (id == NULL) {
            Py_DECREF(ids);
            return -1;
        }
        PyTuple_SET_ITEM(ids, i, id);
    }
    set_slot(ctx, F_ids, ids);
    if ((oid = PyLong_FromVoidPtr(out)) == NULL)
        return -1;
    PyObject *oids = PyTuple_Pack(1, oid);
    Py_DECREF(oid);
    if (oids == NULL)
        return -1;
    set_slot(ctx, F_out_ids, oids);
    if ((born = PyObject_GetAttr(clock_obj, s_value)) == NULL)
        return -1;
    set_slot(ctx, F_born, born);
    /* While this node keeps them, .data of the tensors whose arrays it saved is watched (see
     * Tensor.data): they point to it, weakly. */
    fast = PySequence_Fast(saved, "save_for_backward: saved must be a sequence");
    if (fast == NULL)
        return -1;
    Py_ssize_t ns = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t k = 0; k < ns; k++) {
        PyObject *x = items[k], *src;
        if (x == out)       /* and maybe an input's too (relu_ in place): both pinned */
            *out_pinned = 1;
        if (x == datas[0])
            src = inputs[0];
        else if (n > 1 && x == datas[1])
            src = inputs[1];
        else if (n == 3 && x == datas[2])
            src = inputs[2];
        else
            continue;
        if (x == src)       /* an array argument, not a Tensor */
            continue;
        if (pin_input(src, pinned, ctx) < 0) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

/* ctx._out = (out.shape, out.dtype): what a gradient sent to it must be. */
static int
set_out_meta(PyObject *ctx, PyObject *out)
{
    PyObject *shape = PyObject_GetAttr(out, s_shape), *dtype = NULL, *meta = NULL;
    if (shape != NULL)
        dtype = PyObject_GetAttr(out, s_dtype);
    if (dtype != NULL)
        meta = PyTuple_Pack(2, shape, dtype);
    Py_XDECREF(shape);
    Py_XDECREF(dtype);
    if (meta == NULL)
        return -1;
    set_slot(ctx, F_out, meta);
    return 0;
}

/* ctx._names: the name of each constant Tensor input (None elsewhere), for the pictures; set
 * only when a constant input has a name, as function.Function.apply does. */
static int
note_names(PyObject *ctx, PyObject *const *inputs, PyObject **edges, Py_ssize_t n)
{
    PyObject *names = PyTuple_New(n);
    if (names == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = NULL;
        if (edges[i] == NULL && PyObject_TypeCheck(inputs[i], Tensor_type))
            name = SLOT(inputs[i], T_name);
        PyTuple_SET_ITEM(names, i, Py_NewRef(name != NULL ? name : Py_None));
    }
    set_slot(ctx, F_names, names);
    return 0;
}

/* Function.apply(cls, *args, **kwargs), bound as a classmethod: args[0] is cls. */
PyObject *
fast_apply(PyObject *module, PyObject *const *args, Py_ssize_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nall = PyVectorcall_NARGS(nargsf), n = nall - 1;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "autograd._fast is not configured");
        return NULL;
    }
    if (nall < 1) {
        PyErr_SetString(PyExc_TypeError, "apply: missing the Function class");
        return NULL;
    }
    if (n < 1 || n > 3)
        return python_apply_call(args, nall, kwnames);
    PyObject *cls = args[0], *const *inputs = args + 1;
    PyObject *ctx = NULL, *datas[3] = {NULL, NULL, NULL}, *edges[3] = {NULL, NULL, NULL};
    PyObject *out = NULL, *result = NULL, *pinned = NULL, *t;
    int record = 0, out_pinned = 0, named = 0;

    int enabled = mode_enabled();
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *a = inputs[i];
        if (!PyObject_TypeCheck(a, Tensor_type)) {
            datas[i] = Py_NewRef(a);
            continue;
        }
        /* held, as the Python locals hold it, across forward */
        if ((datas[i] = get_slot(a, T_data, "_data")) == NULL)
            goto done;
        Py_INCREF(datas[i]);
        if (enabled) {
            PyObject *rg = get_slot(a, T_requires_grad, "requires_grad");
            int r = rg == NULL ? -1 : truth(rg);
            if (r < 0 || (r && (edges[i] = edge_of(a)) == NULL))
                goto done;
            record |= r;
            named |= !r && SLOT(a, T_name) != NULL && SLOT(a, T_name) != Py_None;
        }
    }
    if ((ctx = PyBaseObject_Type.tp_new((PyTypeObject *)cls, empty_tuple, NULL)) == NULL ||
        (t = tuple_of(edges, n, 1)) == NULL)
        goto done;
    set_slot(ctx, F_needs, t);
    set_slot_borrowed(ctx, F_saved, empty_tuple);
    if ((out = call_forward(cls, ctx, datas, n, args + nall, kwnames)) == NULL)
        goto done;
    if (record) {
        if ((t = tuple_of(edges, n, 0)) == NULL)
            goto done;
        set_slot(ctx, F_next, t);
        if (named && note_names(ctx, inputs, edges, n) < 0)
            goto done;
    }
    if (PyTuple_CheckExact(out)) {
        result = several_outputs(ctx, out, datas, n, inputs, record);
        goto done;
    }
    if (record) {
        PyObject *seq = PyObject_CallNoArgs(next_seq), *saved;
        if (seq == NULL)
            goto done;
        set_slot(ctx, F_seq, seq);
        if ((saved = get_slot(ctx, F_saved, "_saved")) == NULL)
            goto done;
        Py_INCREF(saved);
        int nonempty = truth(saved);
        int r = nonempty <= 0 ? nonempty
                : note_saved(ctx, saved, datas, n, out, inputs, &out_pinned, &pinned);
        Py_DECREF(saved);
        if (r < 0)
            goto done;
    }
    if (!PyArray_CheckExact(out)) {
        /* numpy gives a scalar for a 0-d result: its array, as function._to_array makes it */
        PyObject *arr = PyArray_IsScalar(out, Generic)
                        ? PyObject_CallOneArg(asarray, out)
                        : PyObject_CallFunctionObjArgs(to_array, out, cls, NULL);
        if (arr == NULL)
            goto done;
        Py_SETREF(out, arr);
    }
    if (!record)
        result = new_tensor(out, Py_False, Py_None, Py_None);
    else if (set_out_meta(ctx, out) == 0)
        result = new_tensor(out, Py_True, ctx, out_pinned ? SELF : Py_None);
    if (result != NULL && link_output(result, out, cls, datas, inputs, n) < 0)
        Py_CLEAR(result);
done:
    Py_XDECREF(ctx);
    Py_XDECREF(out);
    Py_XDECREF(pinned);
    for (int i = 0; i < 3; i++) {
        Py_XDECREF(edges[i]);
        Py_XDECREF(datas[i]);
    }
    return result;
}

/* Dual(fn, wrapped): function.dual's dispatch, compiled. A backward rule calls it on arrays (a
 * plain backward: fn.forward runs on them with a fresh ctx that keeps nothing, no node, no
 * Tensor) or on Tensors (a recorded backward: fn.apply, looked up at each call, since
 * detect_anomaly swaps it). wrapped is the Python function dual made, its reference and its
 * __wrapped__. */
typedef struct {
    PyObject_HEAD
    PyObject *fn, *forward, *wrapped;
    vectorcallfunc vectorcall;
} Dual;

static PyObject *
dual_vectorcall(PyObject *self_, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Dual *d = (Dual *)self_;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf), nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    if (!configured)        /* made while the ops import, called before the binding is done */
        return PyObject_Vectorcall(d->wrapped, args, n, kwnames);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (PyObject_TypeCheck(args[i], Tensor_type)) {
            PyObject *apply = PyObject_GetAttr(d->fn, s_apply), *r;
            if (apply == NULL)
                return NULL;
            r = PyObject_Vectorcall(apply, args, n, kwnames);
            Py_DECREF(apply);
            return r;
        }
    }
    PyObject *stack[16];
    if (1 + n + nkw > 16)
        return PyObject_Vectorcall(d->wrapped, args, n, kwnames);
    PyObject *ctx = PyBaseObject_Type.tp_new(raw_ctx_type, empty_tuple, NULL);
    if (ctx == NULL)
        return NULL;
    stack[0] = ctx;
    for (Py_ssize_t i = 0; i < n + nkw; i++)
        stack[1 + i] = args[i];
    PyObject *r = PyObject_Vectorcall(d->forward, stack, 1 + n, kwnames);
    Py_DECREF(ctx);
    return r;
}

static PyObject *
dual_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *fn, *wrapped, *forward;
    static char *kwlist[] = {"fn", "wrapped", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO:Dual", kwlist, &fn, &wrapped))
        return NULL;
    /* the ops make their duals as they import, before autograd.binding configures the module:
     * then the Function check waits for the type (function.dual passes only Functions) */
    if (!PyType_Check(fn) || !PyCallable_Check(wrapped) ||
        (configured && !PyType_IsSubtype((PyTypeObject *)fn, Function_type))) {
        PyErr_SetString(PyExc_TypeError, "Dual: fn must be a Function subclass and wrapped "
                        "callable");
        return NULL;
    }
    if ((forward = PyObject_GetAttr(fn, s_forward)) == NULL)
        return NULL;
    Dual *d = (Dual *)type->tp_alloc(type, 0);
    if (d == NULL) {
        Py_DECREF(forward);
        return NULL;
    }
    d->fn = Py_NewRef(fn);
    d->forward = forward;
    d->wrapped = Py_NewRef(wrapped);
    d->vectorcall = dual_vectorcall;
    return (PyObject *)d;
}

static void
dual_dealloc(PyObject *self_)
{
    Dual *d = (Dual *)self_;
    PyObject_GC_UnTrack(self_);
    Py_CLEAR(d->fn);
    Py_CLEAR(d->forward);
    Py_CLEAR(d->wrapped);
    Py_TYPE(self_)->tp_free(self_);
}

static int
dual_traverse(PyObject *self_, visitproc visit, void *arg)
{
    Dual *d = (Dual *)self_;
    Py_VISIT(d->fn);
    Py_VISIT(d->forward);
    Py_VISIT(d->wrapped);
    return 0;
}

/* __name__, __qualname__, __module__ and __doc__: the Python function's (closure names the
 * attribute; doctest's finder on 3.10 needs __module__ on anything it takes for a routine) */
static PyObject *
dual_get(PyObject *self_, void *closure)
{
    return PyObject_GetAttrString(((Dual *)self_)->wrapped, (const char *)closure);
}

static PyGetSetDef dual_getset[] = {
    {"__name__", dual_get, NULL, NULL, "__name__"},
    {"__qualname__", dual_get, NULL, NULL, "__qualname__"},
    {"__module__", dual_get, NULL, NULL, "__module__"},
    {"__doc__", dual_get, NULL, NULL, "__doc__"},
    {NULL},
};

static PyObject *
dual_repr(PyObject *self_)
{
    return PyUnicode_FromFormat("<compiled dual of %s>", ((PyTypeObject *)((Dual *)self_)->fn)
                                                             ->tp_name);
}

static PyMemberDef dual_members[] = {
    {"__wrapped__", T_OBJECT, offsetof(Dual, wrapped), READONLY, "the Python dual function"},
    {"function", T_OBJECT, offsetof(Dual, fn), READONLY, "the Function it runs"},
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(Dual, vectorcall), READONLY},
    {NULL},
};

PyTypeObject Dual_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "autograd._fast.Dual",
    .tp_doc = "Dual(fn, wrapped): function.dual(fn), compiled (see autograd/csrc/apply.c).",
    .tp_basicsize = sizeof(Dual),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_new = dual_new,
    .tp_dealloc = dual_dealloc,
    .tp_traverse = dual_traverse,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(Dual, vectorcall),
    .tp_repr = dual_repr,
    .tp_members = dual_members,
    .tp_getset = dual_getset,
};
