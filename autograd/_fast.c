/* The engine's two hot loops, compiled: Function.apply for one to three inputs, and the plain
 * backward pass (no create_graph, no inputs=, no anomaly mode).
 *
 * The Python engine (function.py, engine.py) is the reference and does everything; this file
 * is an accelerator for the common case, as CPython's _heapq is for heapq. Everything unusual
 * (no or more than three inputs, several outputs, an in-place repin, a saved array changed in
 * place, a gradient to unbroadcast, an error to word) is handed back to the Python helpers, so
 * the rules live in one place. The Python side sets AUTOGRAD_PURE_PYTHON=1 to run without it,
 * and the test suite runs both ways.
 *
 * Tensor and Function keep their fields in __slots__; configure() receives the member
 * descriptors and this file reads and writes those slots at their offsets, as the descriptors
 * themselves do.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#define SLOT(o, off) (*(PyObject **)((char *)(o) + (off)))

static PyTypeObject *Tensor_type, *Function_type, *ndarray_type;
static PyObject *mode_obj, *clock_obj, *SELF, *FREED, *empty_tuple, *zero;
static PyObject *python_apply, *next_seq, *repin, *to_array, *check_saved, *name_the_rule, *fill_missing,
    *arity_error, *unbroadcast, *add_multi, *asarray;
static PyObject *s_forward, *s_backward, *s_enabled, *s_value, *s_outputs,
    *s_shape, *s_dtype, *s_astype, *s_n_out, *s_out_meta, *s_base, *s_flags, *s_writeable,
    *s_copy;
static Py_ssize_t T_data, T_grad, T_requires_grad, T_grad_fn, T_name, T_nr, T_pinned;
static Py_ssize_t F_needs, F_saved, F_next, F_ids, F_out_ids, F_out, F_born, F_seq;
static int configured = 0;

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

static inline int
truth(PyObject *v)
{
    if (v == Py_True)
        return 1;
    if (v == Py_False || v == Py_None)
        return 0;
    return PyObject_IsTrue(v);
}

/* ------------------------------------------------------------------------------- configure */
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
    PyObject *tensor = NULL, *function = NULL, *ndarray = NULL;
    TAKE(tensor, "Tensor");
    TAKE(function, "Function");
    TAKE(ndarray, "ndarray");
    if (!PyType_Check(tensor) || !PyType_Check(function) || !PyType_Check(ndarray)) {
        PyErr_SetString(PyExc_TypeError, "_fast.configure: Tensor, Function, ndarray: types");
        return NULL;
    }
    Py_XSETREF(Tensor_type, (PyTypeObject *)tensor);
    Py_XSETREF(Function_type, (PyTypeObject *)function);
    Py_XSETREF(ndarray_type, (PyTypeObject *)ndarray);
    TAKE(mode_obj, "mode");
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
    if (offset_of(tensor_slots, "_data", &T_data) || offset_of(tensor_slots, "grad", &T_grad) ||
        offset_of(tensor_slots, "requires_grad", &T_requires_grad) ||
        offset_of(tensor_slots, "grad_fn", &T_grad_fn) ||
        offset_of(tensor_slots, "name", &T_name) || offset_of(tensor_slots, "_nr", &T_nr) ||
        offset_of(tensor_slots, "_pinned", &T_pinned) ||
        offset_of(function_slots, "needs_input_grad", &F_needs) ||
        offset_of(function_slots, "_saved", &F_saved) ||
        offset_of(function_slots, "_next", &F_next) ||
        offset_of(function_slots, "_ids", &F_ids) ||
        offset_of(function_slots, "_out_ids", &F_out_ids) ||
        offset_of(function_slots, "_out", &F_out) ||
        offset_of(function_slots, "_born", &F_born) ||
        offset_of(function_slots, "_seq", &F_seq))
        return NULL;
    configured = 1;
    Py_RETURN_NONE;
}

/* ----------------------------------------------------------------------------------- apply */

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

/* Point the input tensor t, whose array ctx saved, to ctx weakly (function._pin_input). */
static int
pin_input(PyObject *t, PyObject **ref, PyObject *ctx)
{
    PyObject *p = SLOT(t, T_pinned);
    if (p == SELF) {
        PyObject *fn = SLOT(t, T_grad_fn);
        if (fn != NULL && PyObject_TypeCheck(fn, Function_type) && SLOT(fn, F_saved) != NULL &&
            PyTuple_CheckExact(SLOT(fn, F_saved)))
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
        /* the usual case, a weight pinned by last step's node, now run or gone: replace the
         * pin (inplace._keeps; the rest of inplace.repin is for pins that still hold) */
        PyObject *node = PyWeakref_GET_OBJECT(p);
        if (node == Py_None || !PyObject_TypeCheck(node, Function_type) ||
            SLOT(node, F_saved) == NULL || !PyTuple_CheckExact(SLOT(node, F_saved))) {
            set_slot_borrowed(t, T_pinned, *ref);
            return 0;
        }
    }
    {
        PyObject *r = PyObject_CallFunctionObjArgs(repin, t, *ref, NULL);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
    }
    return 0;
}

static PyObject *
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
    return t;
}

/* Function.apply(cls, *args, **kwargs), bound as a classmethod: args[0] is cls. */
static PyObject *
apply(PyObject *module, PyObject *const *args, Py_ssize_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nall = PyVectorcall_NARGS(nargsf);
    if (nall < 1) {
        PyErr_SetString(PyExc_TypeError, "apply: missing the Function class");
        return NULL;
    }
    PyObject *cls = args[0];
    Py_ssize_t n = nall - 1, nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "autograd._fast is not configured");
        return NULL;
    }
    if (n < 1 || n > 3) {
        /* any other number of inputs: the Python apply (its function, called with cls) */
        PyObject *tup = PyTuple_New(nall), *kw = PyDict_New(), *r = NULL;
        if (tup == NULL || kw == NULL)
            goto general_done;
        for (Py_ssize_t i = 0; i < nall; i++) {      /* cls, then the arguments */
            Py_INCREF(args[i]);
            PyTuple_SET_ITEM(tup, i, args[i]);
        }
        for (Py_ssize_t i = 0; i < nkw; i++)
            if (PyDict_SetItem(kw, PyTuple_GET_ITEM(kwnames, i), args[nall + i]) < 0)
                goto general_done;
        r = PyObject_Call(python_apply, tup, kw);
    general_done:
        Py_XDECREF(tup);
        Py_XDECREF(kw);
        return r;
    }

    PyObject *ctx = NULL, *datas[3] = {NULL, NULL, NULL}, *edges[3] = {NULL, NULL, NULL};
    PyObject *forward = NULL, *out = NULL, *result = NULL, *pinned = NULL;
    PyObject *stack[4 + 16];
    int record = 0, out_pinned = 0;

    PyObject *en = PyObject_GetAttr(mode_obj, s_enabled);
    if (en == NULL)
        return NULL;
    int enabled = truth(en);
    Py_DECREF(en);
    if (enabled < 0)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *a = args[1 + i];
        if (PyObject_TypeCheck(a, Tensor_type)) {
            datas[i] = get_slot(a, T_data, "_data");
            if (datas[i] == NULL)
                goto error;
            Py_INCREF(datas[i]);    /* held, as the Python locals hold it, across forward */
            if (enabled) {
                PyObject *rg = get_slot(a, T_requires_grad, "requires_grad");
                int r = rg == NULL ? -1 : truth(rg);
                if (r < 0)
                    goto error;
                if (r) {
                    edges[i] = edge_of(a);
                    if (edges[i] == NULL)
                        goto error;
                    record = 1;
                }
            }
        }
        else {
            datas[i] = a;
            Py_INCREF(a);
        }
    }
    ctx = PyBaseObject_Type.tp_new((PyTypeObject *)cls, empty_tuple, NULL);
    if (ctx == NULL)
        goto error;
    {
        PyObject *needs = PyTuple_New(n);
        if (needs == NULL)
            goto error;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *b = edges[i] ? Py_True : Py_False;
            Py_INCREF(b);
            PyTuple_SET_ITEM(needs, i, b);
        }
        set_slot(ctx, F_needs, needs);
    }
    set_slot_borrowed(ctx, F_saved, empty_tuple);

    forward = PyObject_GetAttr(cls, s_forward);
    if (forward == NULL)
        goto error;
    {
        PyObject **st = stack, *heap_stack[4 + 64];
        if (nkw > 16) {
            if (nkw > 64) {
                PyErr_SetString(PyExc_TypeError, "apply: too many keyword arguments");
                goto error;
            }
            st = heap_stack;
        }
        st[0] = ctx;
        for (Py_ssize_t i = 0; i < n; i++)
            st[1 + i] = datas[i];
        for (Py_ssize_t i = 0; i < nkw; i++)
            st[1 + n + i] = args[nall + i];
        out = PyObject_Vectorcall(forward, st, 1 + n, nkw ? kwnames : NULL);
    }
    if (out == NULL)
        goto error;
    if (record) {
        PyObject *nxt = PyTuple_New(n);
        if (nxt == NULL)
            goto error;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *e = edges[i] ? edges[i] : Py_None;
            Py_INCREF(e);
            PyTuple_SET_ITEM(nxt, i, e);
        }
        set_slot(ctx, F_next, nxt);
    }
    if (PyTuple_CheckExact(out)) {
        /* several outputs: ctx._outputs(out, datas, list(ctx._next) or None, args) */
        PyObject *dl = PyList_New(n), *nl = NULL, *at = PyTuple_New(n);
        if (dl == NULL || at == NULL)
            goto multi_done;
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_INCREF(datas[i]);
            PyList_SET_ITEM(dl, i, datas[i]);
            Py_INCREF(args[1 + i]);
            PyTuple_SET_ITEM(at, i, args[1 + i]);
        }
        nl = record ? PySequence_List(SLOT(ctx, F_next)) : Py_NewRef(Py_None);
        if (nl == NULL)
            goto multi_done;
        result = PyObject_CallMethodObjArgs(ctx, s_outputs, out, dl, nl, at, NULL);
    multi_done:
        Py_XDECREF(dl);
        Py_XDECREF(nl);
        Py_XDECREF(at);
        goto done;
    }
    if (record) {
        PyObject *seq = PyObject_CallNoArgs(next_seq);
        if (seq == NULL)
            goto error;
        set_slot(ctx, F_seq, seq);
        PyObject *saved = get_slot(ctx, F_saved, "_saved");
        if (saved == NULL)
            goto error;
        Py_INCREF(saved);
        int nonempty = truth(saved);
        if (nonempty < 0) {
            Py_DECREF(saved);
            goto error;
        }
        if (nonempty) {
            /* 0-d results come back from numpy as scalars: the saved object is the original */
            PyObject *ids = PyTuple_New(n), *oids = NULL, *born = NULL, *fast = NULL;
            if (ids == NULL)
                goto saved_error;
            for (Py_ssize_t i = 0; i < n; i++) {
                PyObject *id = PyLong_FromVoidPtr(datas[i]);
                if (id == NULL) {
                    Py_DECREF(ids);
                    goto saved_error;
                }
                PyTuple_SET_ITEM(ids, i, id);
            }
            set_slot(ctx, F_ids, ids);
            oids = PyTuple_New(1);
            if (oids == NULL)
                goto saved_error;
            PyObject *oid = PyLong_FromVoidPtr(out);
            if (oid == NULL) {
                Py_DECREF(oids);
                goto saved_error;
            }
            PyTuple_SET_ITEM(oids, 0, oid);
            set_slot(ctx, F_out_ids, oids);
            born = PyObject_GetAttr(clock_obj, s_value);
            if (born == NULL)
                goto saved_error;
            set_slot(ctx, F_born, born);
            /* While this node keeps them, .data of the tensors whose arrays it saved is
             * watched (see Tensor.data): they point to it, weakly. */
            fast = PySequence_Fast(saved, "save_for_backward: saved must be a sequence");
            if (fast == NULL)
                goto saved_error;
            Py_ssize_t ns = PySequence_Fast_GET_SIZE(fast);
            PyObject **items = PySequence_Fast_ITEMS(fast);
            for (Py_ssize_t k = 0; k < ns; k++) {
                PyObject *x = items[k], *src;
                if (x == datas[0])
                    src = args[1];
                else if (x == out) {
                    out_pinned = 1;
                    continue;
                }
                else if (n > 1 && x == datas[1])
                    src = args[2];
                else if (n == 3 && x == datas[2])
                    src = args[3];
                else
                    continue;
                if (x == src)       /* an array argument, not a Tensor */
                    continue;
                if (pin_input(src, &pinned, ctx) < 0) {
                    Py_DECREF(fast);
                    goto saved_error;
                }
            }
            Py_DECREF(fast);
        }
        Py_DECREF(saved);
        goto saved_done;
    saved_error:
        Py_DECREF(saved);
        goto error;
    saved_done:;
    }
    if (!Py_IS_TYPE(out, ndarray_type)) {
        PyObject *arr = PyObject_CallFunctionObjArgs(to_array, out, cls, NULL);
        if (arr == NULL)
            goto error;
        Py_SETREF(out, arr);
    }
    if (!record) {
        result = new_tensor(out, Py_False, Py_None, Py_None);
        goto done;
    }
    {
        PyObject *shape = PyObject_GetAttr(out, s_shape), *dtype = NULL, *meta = NULL;
        if (shape != NULL)
            dtype = PyObject_GetAttr(out, s_dtype);
        if (dtype != NULL)
            meta = PyTuple_Pack(2, shape, dtype);
        Py_XDECREF(shape);
        Py_XDECREF(dtype);
        if (meta == NULL)
            goto error;
        set_slot(ctx, F_out, meta);
    }
    result = new_tensor(out, Py_True, ctx, out_pinned ? SELF : Py_None);
    goto done;
error:
    result = NULL;
done:
    Py_XDECREF(ctx);
    Py_XDECREF(forward);
    Py_XDECREF(out);
    Py_XDECREF(pinned);
    for (int i = 0; i < 3; i++) {
        Py_XDECREF(edges[i]);
        Py_XDECREF(datas[i]);
    }
    return result;
}

/* -------------------------------------------------------------------------------- backward */

/* The nodes waiting to run, newest first: a binary heap on _seq (which counts down), as the
 * Python engine's heapq of (seq, node). */
typedef struct {
    long long seq;
    PyObject *node;
} entry;

typedef struct {
    entry *a;
    Py_ssize_t n, cap;
} heap;

static int
heap_push(heap *h, long long seq, PyObject *node)
{
    if (h->n == h->cap) {
        Py_ssize_t cap = h->cap ? 2 * h->cap : 64;
        entry *a = PyMem_Realloc(h->a, cap * sizeof(entry));
        if (a == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        h->a = a;
        h->cap = cap;
    }
    Py_INCREF(node);
    Py_ssize_t i = h->n++;
    while (i > 0) {
        Py_ssize_t p = (i - 1) / 2;
        if (h->a[p].seq <= seq)
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i].seq = seq;
    h->a[i].node = node;
    return 0;
}

static PyObject *       /* a new reference */
heap_pop(heap *h)
{
    PyObject *top = h->a[0].node;
    entry last = h->a[--h->n];
    Py_ssize_t i = 0, n = h->n;
    while (1) {
        Py_ssize_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h->a[c + 1].seq < h->a[c].seq)
            c++;
        if (h->a[c].seq >= last.seq)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (n)
        h->a[i] = last;
    return top;
}

static void
heap_clear(heap *h)
{
    for (Py_ssize_t i = 0; i < h->n; i++)
        Py_DECREF(h->a[i].node);
    PyMem_Free(h->a);
}

static int
push_node(heap *h, PyObject *node)
{
    PyObject *s = get_slot(node, F_seq, "_seq");
    if (s == NULL)
        return -1;
    long long seq = PyLong_AsLongLong(s);
    if (seq == -1 && PyErr_Occurred())
        return -1;
    return heap_push(h, seq, node);
}

static Py_ssize_t
n_out_of(PyObject *node)
{
    PyObject *v = PyObject_GetAttr(node, s_n_out);
    if (v == NULL)
        return -1;
    Py_ssize_t k = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return k;
}

/* Add the name of the rule, and what it received, to the exception being raised. */
static void
name_rule(PyObject *node, PyObject *grad_out)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL && value != NULL)
        PyException_SetTraceback(value, tb);
    if (value != NULL && PyErr_GivenExceptionMatches(value, PyExc_Exception)) {
        PyObject *r = PyObject_CallFunctionObjArgs(name_the_rule, value, node, grad_out, NULL);
        if (r == NULL)
            PyErr_Clear();
        Py_XDECREF(r);
    }
    PyErr_Restore(type, value, tb);
}

/* Whether g.<name> == expected (its shape or dtype): 1, 0, or -1 with an error. */
static int
has(PyObject *g, PyObject *name, PyObject *expected)
{
    PyObject *v = PyObject_GetAttr(g, name);
    if (v == NULL)
        return -1;
    int same = v == expected ? 1 : PyObject_RichCompareBool(v, expected, Py_EQ);
    Py_DECREF(v);
    return same;
}

/* Route gradient g (a new reference, stolen) along edge i of node. */
static int
route(PyObject *node, Py_ssize_t i, PyObject *edge, PyObject *g, PyObject *buffers,
      PyObject *leaf_grads, heap *h)
{
    PyObject *child = NULL, *meta = NULL, *shape, *dtype, *gs = NULL, *gd = NULL;
    Py_ssize_t nr = 0;
    int rc = -1;
    if (PyTuple_CheckExact(edge)) {
        child = PyTuple_GET_ITEM(edge, 0);
        nr = PyLong_AsSsize_t(PyTuple_GET_ITEM(edge, 1));
        if (nr == -1 && PyErr_Occurred())
            goto end;
        PyObject *metas = PyObject_GetAttr(child, s_out_meta);
        if (metas == NULL)
            goto end;
        meta = PySequence_GetItem(metas, nr);
        Py_DECREF(metas);
        if (meta == NULL)
            goto end;
        if (!PyTuple_Check(meta) || PyTuple_GET_SIZE(meta) != 2) {
            PyErr_SetString(PyExc_TypeError, "node output metadata must be (shape, dtype)");
            goto end;
        }
        shape = PyTuple_GET_ITEM(meta, 0);
        dtype = PyTuple_GET_ITEM(meta, 1);
    }
    else if (PyObject_TypeCheck(edge, Tensor_type)) {
        PyObject *d = get_slot(edge, T_data, "_data");
        if (d == NULL)
            goto end;
        shape = gs = PyObject_GetAttr(d, s_shape);
        if (shape == NULL)
            goto end;
        dtype = gd = PyObject_GetAttr(d, s_dtype);
        if (dtype == NULL)
            goto end;
    }
    else {
        child = edge;
        meta = get_slot(child, F_out, "_out");
        if (meta == NULL)
            goto end;
        Py_INCREF(meta);
        shape = PyTuple_GET_ITEM(meta, 0);
        dtype = PyTuple_GET_ITEM(meta, 1);
    }
    if (!Py_IS_TYPE(g, ndarray_type)) {
        PyObject *arr;
        if (PyObject_TypeCheck(g, Tensor_type)) {
            arr = get_slot(g, T_data, "_data");
            Py_XINCREF(arr);
        }
        else
            arr = PyObject_CallOneArg(asarray, g);
        if (arr == NULL)
            goto end;
        Py_SETREF(g, arr);
    }
    int same = has(g, s_shape, shape);
    if (same < 0)
        goto end;
    if (!same) {
        PyObject *idx = PyLong_FromSsize_t(i), *u = NULL;
        if (idx == NULL)
            goto end;
        u = PyObject_CallFunctionObjArgs(unbroadcast, g, shape, node, idx, NULL);
        Py_DECREF(idx);
        if (u == NULL)
            goto end;
        Py_SETREF(g, u);
    }
    if ((same = has(g, s_dtype, dtype)) < 0)
        goto end;
    if (!same) {
        PyObject *c = PyObject_CallMethodOneArg(g, s_astype, dtype);
        if (c == NULL)
            goto end;
        Py_SETREF(g, c);
    }
    if (child == NULL) {
        PyObject *key = PyLong_FromVoidPtr(edge), *val;
        if (key == NULL)
            goto end;
        PyObject *old = PyDict_GetItemWithError(leaf_grads, key);
        if (old == NULL && PyErr_Occurred()) {
            Py_DECREF(key);
            goto end;
        }
        if (old == NULL)
            val = PyTuple_Pack(2, edge, g);
        else {
            PyObject *sum = PyNumber_Add(PyTuple_GET_ITEM(old, 1), g);
            val = sum == NULL ? NULL : PyTuple_Pack(2, edge, sum);
            Py_XDECREF(sum);
        }
        int r = val == NULL ? -1 : PyDict_SetItem(leaf_grads, key, val);
        Py_DECREF(key);
        Py_XDECREF(val);
        if (r < 0)
            goto end;
        rc = 0;
        goto end;
    }
    Py_ssize_t n_out = n_out_of(child);
    if (n_out < 0 && PyErr_Occurred())
        goto end;
    if (n_out == 1) {
        PyObject *old = PyDict_GetItemWithError(buffers, child);
        if (old == NULL) {
            if (PyErr_Occurred() || PyDict_SetItem(buffers, child, g) < 0 ||
                push_node(h, child) < 0)
                goto end;
        }
        else {
            PyObject *sum = PyNumber_Add(old, g);
            if (sum == NULL)
                goto end;
            int r = PyDict_SetItem(buffers, child, sum);
            Py_DECREF(sum);
            if (r < 0)
                goto end;
        }
    }
    else {
        int has = PyDict_Contains(buffers, child);
        if (has < 0 || (!has && push_node(h, child) < 0))
            goto end;
        PyObject *k = PyLong_FromSsize_t(nr), *m = PyLong_FromSsize_t(n_out), *r = NULL;
        if (k != NULL && m != NULL)
            r = PyObject_CallFunctionObjArgs(add_multi, buffers, child, k, g, m, NULL);
        Py_XDECREF(k);
        Py_XDECREF(m);
        if (r == NULL)
            goto end;
        Py_DECREF(r);
    }
    rc = 0;
end:
    Py_DECREF(g);
    Py_XDECREF(meta);
    Py_XDECREF(gs);
    Py_XDECREF(gd);
    return rc;
}

/* Run one node's backward and route what it returns. */
static int
run_node(PyObject *node, PyObject *buffers, PyObject *leaf_grads, int retain, heap *h)
{
    PyObject *grad_out = PyDict_GetItemWithError(buffers, node);
    if (grad_out == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, node);
        return -1;
    }
    Py_INCREF(grad_out);
    if (PyDict_DelItem(buffers, node) < 0) {
        Py_DECREF(grad_out);
        return -1;
    }
    PyObject *backward = NULL, *result = NULL, *fast = NULL, *res = NULL, *nxt;
    int rc = -1, has_saved;
    PyObject *saved = get_slot(node, F_saved, "_saved");
    if (saved == NULL || (has_saved = truth(saved)) < 0)
        goto end;
    if (has_saved) {
        PyObject *born = get_slot(node, F_born, "_born"), *now;
        if (born == NULL || (now = PyObject_GetAttr(clock_obj, s_value)) == NULL)
            goto end;
        int later = PyObject_RichCompareBool(now, born, Py_GT);
        Py_DECREF(now);
        if (later < 0)
            goto end;
        if (later) {
            PyObject *r = PyObject_CallOneArg(check_saved, node);
            if (r == NULL)
                goto end;
            Py_DECREF(r);
        }
    }
    backward = PyObject_GetAttr(node, s_backward);
    if (backward == NULL)
        goto end;
    Py_ssize_t n_out = n_out_of(node);
    if (n_out < 0 && PyErr_Occurred())
        goto end;
    if (n_out == 1) {
        PyObject *st[2] = {node, grad_out};
        result = PyObject_Vectorcall(backward, st, 2, NULL);
    }
    else {
        PyObject *grads = PyObject_CallFunctionObjArgs(fill_missing, node, grad_out, Py_False,
                                                       NULL);
        if (grads != NULL) {
            PyObject *a = PySequence_List(grads);
            Py_DECREF(grads);
            if (a != NULL && PyList_Insert(a, 0, node) == 0) {
                PyObject *t = PyList_AsTuple(a);
                if (t != NULL) {
                    result = PyObject_Call(backward, t, NULL);
                    Py_DECREF(t);
                }
            }
            Py_XDECREF(a);
        }
    }
    if (result == NULL) {
        name_rule(node, grad_out);
        goto end;
    }
    nxt = get_slot(node, F_next, "_next");
    if (nxt == NULL)
        goto end;
    fast = PySequence_Fast(nxt, "_next must be a sequence");
    if (fast == NULL)
        goto end;
    if (PyTuple_CheckExact(result)) {
        res = result;
        Py_INCREF(res);
    }
    else if ((res = PyTuple_Pack(1, result)) == NULL)
        goto end;
    Py_ssize_t ne = PySequence_Fast_GET_SIZE(fast);
    if (PyTuple_GET_SIZE(res) != ne) {
        PyObject *err = PyObject_CallFunctionObjArgs(arity_error, node, res, NULL);
        if (err != NULL) {
            PyErr_SetObject((PyObject *)Py_TYPE(err), err);
            Py_DECREF(err);
        }
        goto end;
    }
    if (has_saved && !retain)
        set_slot_borrowed(node, F_saved, FREED);   /* the tensors it pinned see that */
    PyObject **edges = PySequence_Fast_ITEMS(fast);
    for (Py_ssize_t i = 0; i < ne; i++) {
        PyObject *edge = edges[i], *g = PyTuple_GET_ITEM(res, i);
        if (edge == Py_None || g == Py_None)
            continue;
        Py_INCREF(g);
        if (route(node, i, edge, g, buffers, leaf_grads, h) < 0)
            goto end;
    }
    rc = 0;
end:
    Py_DECREF(grad_out);
    Py_XDECREF(backward);
    Py_XDECREF(result);
    Py_XDECREF(fast);
    Py_XDECREF(res);
    return rc;
}

static PyObject *        /* a new reference: x as an ndarray (numpy sums 0-d arrays to scalars) */
as_ndarray(PyObject *x)
{
    if (Py_IS_TYPE(x, ndarray_type)) {
        Py_INCREF(x);
        return x;
    }
    return PyObject_CallOneArg(asarray, x);
}

/* Whether a leaf may keep g itself as its .grad: not a view, not handed to another leaf in
 * this pass, writeable (the shared read-only 1 of a scalar loss is not). */
static int
may_keep(PyObject *g, PyObject *handed)
{
    PyObject *base = PyObject_GetAttr(g, s_base), *id;
    if (base == NULL)
        return -1;
    Py_DECREF(base);
    if (base != Py_None)
        return 0;
    if ((id = PyLong_FromVoidPtr(g)) == NULL)
        return -1;
    int seen = PySet_Contains(handed, id);
    Py_DECREF(id);
    if (seen)
        return seen < 0 ? -1 : 0;
    PyObject *flags = PyObject_GetAttr(g, s_flags), *w;
    if (flags == NULL)
        return -1;
    w = PyObject_GetAttr(flags, s_writeable);
    Py_DECREF(flags);
    if (w == NULL)
        return -1;
    int r = truth(w);
    Py_DECREF(w);
    return r;
}

/* Each leaf's gradient into its .grad, as engine.run_backward ends a plain pass. */
static int
accumulate(PyObject *leaf_grads, PyObject *handed)
{
    Py_ssize_t pos = 0;
    PyObject *key, *entry;
    while (PyDict_Next(leaf_grads, &pos, &key, &entry)) {
        PyObject *leaf = PyTuple_GET_ITEM(entry, 0), *g = PyTuple_GET_ITEM(entry, 1), *arr, *t;
        PyObject *rg = get_slot(leaf, T_requires_grad, "requires_grad"), *old;
        int r = rg == NULL ? -1 : truth(rg);
        if (r <= 0) {
            if (r < 0)
                return -1;
            continue;
        }
        if ((old = get_slot(leaf, T_grad, "grad")) == NULL)
            return -1;
        if (old != Py_None) {
            PyObject *od = PyObject_TypeCheck(old, Tensor_type) ? get_slot(old, T_data, "_data")
                                                                : NULL, *sum;
            if (od == NULL) {
                if (!PyErr_Occurred())
                    PyErr_Format(PyExc_TypeError, "backward: the .grad of a leaf must be a "
                                 "Tensor, got %.100s", Py_TYPE(old)->tp_name);
                return -1;
            }
            if ((sum = PyNumber_Add(od, g)) == NULL)
                return -1;
            arr = as_ndarray(sum);
            Py_DECREF(sum);
            if (arr == NULL)
                return -1;
        }
        else {
            if ((arr = as_ndarray(g)) == NULL)
                return -1;
            int keep = may_keep(arr, handed);
            if (keep < 0) {
                Py_DECREF(arr);
                return -1;
            }
            if (!keep) {
                PyObject *c = PyObject_CallMethodNoArgs(arr, s_copy);
                Py_SETREF(arr, c);
                if (arr == NULL)
                    return -1;
            }
            PyObject *id = PyLong_FromVoidPtr(arr);
            int e = id == NULL ? -1 : PySet_Add(handed, id);
            Py_XDECREF(id);
            if (e < 0) {
                Py_DECREF(arr);
                return -1;
            }
        }
        t = new_tensor(arr, Py_False, Py_None, Py_None);
        Py_DECREF(arr);
        if (t == NULL)
            return -1;
        set_slot(leaf, T_grad, t);
    }
    return 0;
}

/* backward(roots, buffers, retain_graph, handed): the plain pass from the root nodes, whose
 * gradients are in buffers, ending with each leaf's gradient accumulated into its .grad (leaf
 * gradients met on the way are collected as id(leaf) -> (leaf, g) in leaf_grads, which may hold
 * the roots' own); as engine.run_backward does it. */
static PyObject *
backward(PyObject *module, PyObject *args)
{
    PyObject *roots, *buffers, *leaf_grads, *handed;
    int retain;
    if (!PyArg_ParseTuple(args, "OO!O!pO!", &roots, &PyDict_Type, &buffers, &PyDict_Type,
                          &leaf_grads, &retain, &PySet_Type, &handed))
        return NULL;
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "autograd._fast is not configured");
        return NULL;
    }
    heap h = {NULL, 0, 0};
    PyObject *fast = PySequence_Fast(roots, "roots must be a sequence");
    if (fast == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); i++) {
        PyObject *node = PySequence_Fast_GET_ITEM(fast, i);
        int dup = 0;
        for (Py_ssize_t j = 0; j < i; j++)
            dup |= PySequence_Fast_GET_ITEM(fast, j) == node;
        if (!dup && push_node(&h, node) < 0) {
            Py_DECREF(fast);
            heap_clear(&h);
            return NULL;
        }
    }
    Py_DECREF(fast);
    while (h.n) {
        PyObject *node = heap_pop(&h);
        int r = run_node(node, buffers, leaf_grads, retain, &h);
        Py_DECREF(node);
        if (r < 0) {
            heap_clear(&h);
            return NULL;
        }
    }
    heap_clear(&h);
    if (accumulate(leaf_grads, handed) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* ---------------------------------------------------------------------------------- module */
static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(objects, tensor_slots, function_slots): the engine's objects and slots."},
    {"apply", (PyCFunction)(void (*)(void))apply, METH_FASTCALL | METH_KEYWORDS,
     "apply(cls, *args, **kwargs): Function.apply, for one to three inputs."},
    {"backward", backward, METH_VARARGS,
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
#define INTERN(var, s)                                  \
    if ((var = PyUnicode_InternFromString(s)) == NULL)  \
        return NULL;
    INTERN(s_forward, "forward");
    INTERN(s_backward, "backward");
    INTERN(s_enabled, "enabled");
    INTERN(s_value, "value");
    INTERN(s_outputs, "_outputs");
    INTERN(s_shape, "shape");
    INTERN(s_dtype, "dtype");
    INTERN(s_astype, "astype");
    INTERN(s_n_out, "_n_out");
    INTERN(s_out_meta, "_out_meta");
    INTERN(s_base, "base");
    INTERN(s_flags, "flags");
    INTERN(s_writeable, "writeable");
    INTERN(s_copy, "copy");
    if ((empty_tuple = PyTuple_New(0)) == NULL || (zero = PyLong_FromLong(0)) == NULL)
        return NULL;
    return PyModule_Create(&module);
}
