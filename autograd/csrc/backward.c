/* The plain backward pass: nodes newest first from a heap, each one's rule called and its
 * gradients routed (engine.run_backward's loop), then the leaves' .grad updated. */
#include "fast.h"

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

/* Whether the nd dims are the tuple of ints shape: 1, 0, or -1 with an error. */
static int
dims_are(const npy_intp *dims, int nd, PyObject *shape)
{
    if (PyTuple_GET_SIZE(shape) != nd)
        return 0;
    for (int k = 0; k < nd; k++) {
        Py_ssize_t v = PyLong_AsSsize_t(PyTuple_GET_ITEM(shape, k));
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (v != dims[k])
            return 0;
    }
    return 1;
}

/* Whether array g has the shape given as a tuple of ints: 1, 0, or -1 with an error. */
static int
shape_is(PyObject *g, PyObject *shape)
{
    if (!PyTuple_CheckExact(shape))
        return has(g, s_shape, shape);
    return dims_are(PyArray_DIMS(AOBJ(g)), PyArray_NDIM(AOBJ(g)), shape);
}

/* Whether array g has one axis more than the shape it must have (a tuple of ints, or NULL
 * for the leaf array's own), in front, the rest equal: 1, 0, or -1 with an error. */
static int
one_lead_axis(PyObject *g, PyObject *shape, PyObject *leaf)
{
    int nd = PyArray_NDIM(AOBJ(g));
    const npy_intp *dims = PyArray_DIMS(AOBJ(g));
    if (nd == 0)
        return 0;
    if (shape == NULL)
        return nd == PyArray_NDIM(AOBJ(leaf)) + 1 &&
               memcmp(dims + 1, PyArray_DIMS(AOBJ(leaf)), (nd - 1) * sizeof(npy_intp)) == 0;
    if (!PyTuple_CheckExact(shape))
        return 0;
    return dims_are(dims + 1, nd - 1, shape);
}

/* Whether g (an array, or the numpy scalar a reduction to 0-d gives) has dtype: 1, 0, -1. */
static int
dtype_is(PyObject *g, PyObject *dtype)
{
    if (PyArray_Check(g))
        return PyObject_RichCompareBool((PyObject *)PyArray_DESCR(AOBJ(g)), dtype, Py_EQ);
    return has(g, s_dtype, dtype);
}

/* Route gradient g (a new reference, stolen) along edge i of node. */
static int
route(PyObject *node, Py_ssize_t i, PyObject *edge, PyObject *g, PyObject *buffers,
      PyObject *leaf_grads, heap *h)
{
    /* the shape and dtype g must have: the node's output metadata, or a leaf's own array */
    PyObject *child = NULL, *meta = NULL, *shape = NULL, *dtype, *gs = NULL, *leaf = NULL;
    Py_ssize_t nr = 0;
    int rc = -1, same;
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
    }
    else if (PyObject_TypeCheck(edge, Tensor_type)) {
        if ((leaf = get_slot(edge, T_data, "_data")) == NULL)
            goto end;
        if (!PyArray_Check(leaf)) {
            PyErr_Format(PyExc_TypeError, "backward: a leaf's array is a %.100s",
                         Py_TYPE(leaf)->tp_name);
            goto end;
        }
    }
    else {
        child = edge;
        meta = get_slot(child, F_out, "_out");
        if (meta == NULL)
            goto end;
        Py_INCREF(meta);
    }
    if (meta != NULL) {
        shape = PyTuple_GET_ITEM(meta, 0);
        dtype = PyTuple_GET_ITEM(meta, 1);
    }
    else
        dtype = (PyObject *)PyArray_DESCR(AOBJ(leaf));
    if (!PyArray_CheckExact(g)) {
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
    if (!PyArray_Check(g)) {       /* a Tensor's _data that is not one */
        PyErr_Format(PyExc_TypeError, "backward: a gradient is a %.100s", Py_TYPE(g)->tp_name);
        goto end;
    }
    if (shape != NULL)
        same = shape_is(g, shape);
    else
        same = PyArray_NDIM(AOBJ(g)) == PyArray_NDIM(AOBJ(leaf)) &&
               memcmp(PyArray_DIMS(AOBJ(g)), PyArray_DIMS(AOBJ(leaf)),
                      PyArray_NDIM(AOBJ(g)) * sizeof(npy_intp)) == 0;
    if (same < 0)
        goto end;
    int lead = 0;
    if (!same && (lead = one_lead_axis(g, shape, leaf)) < 0)
        goto end;
    if (lead) {
        /* a bias's gradient, the usual case of engine._unbroadcast: one leading axis summed
         * (np.add.reduce, what g.sum(axis=0) runs) */
        PyObject *stack[2] = {g, zero}, *u;
        if ((u = PyObject_Vectorcall(add_reduce, stack, 2, NULL)) == NULL)
            goto end;
        Py_SETREF(g, u);
    }
    else if (!same) {
        if (shape == NULL && (shape = gs = PyObject_GetAttr(leaf, s_shape)) == NULL)
            goto end;
        PyObject *idx = PyLong_FromSsize_t(i), *u = NULL;
        if (idx == NULL)
            goto end;
        u = PyObject_CallFunctionObjArgs(unbroadcast, g, shape, node, idx, NULL);
        Py_DECREF(idx);
        if (u == NULL)
            goto end;
        Py_SETREF(g, u);
    }
    if ((same = dtype_is(g, dtype)) < 0)
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
        /* handed over (function.grad_times) when only this call holds the array: popped from
         * buffers, it is in no other node's buffer, no name, no view's base (where reference
         * counts say so: refcounts_proven). The permission is this call's, not the node's,
         * which another thread's pass may be running at the same time (retain_graph): the
         * slot names the very array handed over, and grad_times writes only into the array
         * it names. A call that is not handed its array leaves the slot alone (another call's
         * array is not its grad_output); each owner clears it after its rule, so a concurrent
         * owner may lose its permission early (it then multiplies out of place), never gain
         * one. */
        PyObject *st[2] = {node, grad_out};
        int owned = refcounts_proven && Py_REFCNT(grad_out) == 1 && PyArray_CheckExact(grad_out);
        if (owned)
            set_slot_borrowed(node, F_owned, grad_out);
        result = PyObject_Vectorcall(backward, st, 2, NULL);
        if (owned)
            set_slot_borrowed(node, F_owned, Py_False);
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
    if (PyArray_CheckExact(x)) {
        Py_INCREF(x);
        return x;
    }
    return PyObject_CallOneArg(asarray, x);
}

/* Whether a leaf may keep g (an ndarray) itself as its .grad: not a view, not handed to
 * another leaf in this pass, writeable (the shared read-only 1 of a scalar loss is not). */
static int
may_keep(PyObject *g, PyObject *handed)
{
    PyObject *id;
    if (PyArray_BASE(AOBJ(g)) != NULL || !PyArray_ISWRITEABLE(AOBJ(g)))
        return 0;
    if ((id = PyLong_FromVoidPtr(g)) == NULL)
        return -1;
    int seen = PySet_Contains(handed, id);
    Py_DECREF(id);
    return seen < 0 ? -1 : !seen;
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

/* The pass itself: from the root nodes, whose gradients are in buffers, to the leaves' .grad. */
static PyObject *
run_pass(PyObject *roots, PyObject *buffers, PyObject *leaf_grads, int retain, PyObject *handed)
{
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

/* backward(roots, buffers, leaf_grads, retain_graph, handed): the plain pass from the root
 * nodes, whose gradients are in buffers, ending with each leaf's gradient accumulated into its
 * .grad (leaf gradients met on the way are collected as id(leaf) -> (leaf, g) in leaf_grads,
 * which may hold the roots' own); as engine.run_backward does it. */
PyObject *
fast_backward(PyObject *module, PyObject *args)
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
    return run_pass(roots, buffers, leaf_grads, retain, handed);
}

/* The root gradient of the usual call, loss.backward() on a scalar: the shared read-only 1 of
 * its dtype (engine._ONE), or NULL with no error when the Python engine has to make it. */
static PyObject *       /* borrowed */
shared_one(PyObject *data)
{
    if (!PyArray_CheckExact(data) || PyArray_NDIM(AOBJ(data)) != 0)
        return NULL;
    return PyDict_GetItemWithError(ones, (PyObject *)PyArray_DESCR(AOBJ(data)));
}

/* Tensor.backward(self, grad=None, retain_graph=None, create_graph=False), compiled for the
 * usual call: loss.backward() on a scalar loss that a node made, outside anomaly mode. It does
 * what engine.run_backward does for it, without its Python set-up; every other call goes to
 * the Python method (tensor.py), which words the errors too. */
PyObject *
tensor_backward(PyObject *module, PyObject *const *args, Py_ssize_t nargsf, PyObject *kwnames)
{
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    PyObject *self = n ? args[0] : NULL, *retain_arg = Py_None, *node, *one, *rg;
    int plain = configured && n >= 1 && n <= 3 && PyObject_TypeCheck(self, Tensor_type);
    if (plain && n >= 2)
        plain = args[1] == Py_None;
    if (plain && n == 3)
        retain_arg = args[2];
    for (Py_ssize_t i = 0; plain && kwnames && i < PyTuple_GET_SIZE(kwnames); i++) {
        PyObject *k = PyTuple_GET_ITEM(kwnames, i), *v = args[n + i];
        if (PyUnicode_CompareWithASCIIString(k, "retain_graph") == 0)
            retain_arg = v;
        else if (PyUnicode_CompareWithASCIIString(k, "grad") == 0)
            plain = v == Py_None;
        else if (PyUnicode_CompareWithASCIIString(k, "create_graph") == 0)
            plain = v == Py_None || v == Py_False;
        else
            plain = 0;
    }
    if (plain)      /* tensors that retain_grad() get theirs from the Python pass */
        plain = PyDict_GET_SIZE(retained) == 0;
    if (plain) {
        rg = SLOT(self, T_requires_grad);
        node = SLOT(self, T_grad_fn);
        plain = rg == Py_True && node != NULL && node != Py_None && SLOT(self, T_nr) == zero;
    }
    if (plain) {
        one = shared_one(SLOT(self, T_data));
        if (one == NULL && PyErr_Occurred())
            return NULL;
        plain = one != NULL;
    }
    if (plain && !mode_anomaly()) {
        Py_ssize_t n_out = n_out_of(node);
        if (n_out < 0 && PyErr_Occurred())
            return NULL;
        plain = n_out == 1;
    }
    else
        plain = 0;
    if (!plain)
        return PyObject_Vectorcall(python_backward, args, nargsf, kwnames);

    int retain = truth(retain_arg);
    if (retain < 0)
        return NULL;
    PyObject *buffers = PyDict_New(), *leaf_grads = PyDict_New(), *handed = PySet_New(NULL);
    PyObject *roots = PyTuple_Pack(1, node), *oid = PyLong_FromVoidPtr(one), *r = NULL;
    if (buffers == NULL || leaf_grads == NULL || handed == NULL || roots == NULL ||
        oid == NULL || PyDict_SetItem(buffers, node, one) < 0 || PySet_Add(handed, oid) < 0)
        goto done;
    /* the rules run on arrays, recording nothing, as in the Python engine */
    int prev = mode_enabled();
    mode_set_enabled(0);
    r = run_pass(roots, buffers, leaf_grads, retain, handed);
    mode_set_enabled(prev);
done:
    Py_XDECREF(buffers);
    Py_XDECREF(leaf_grads);
    Py_XDECREF(handed);
    Py_XDECREF(roots);
    Py_XDECREF(oid);
    return r;
}

/* function.grad_times(ctx, grad_output, factor), compiled (function.py's is the reference):
 * grad_output * factor, written into grad_output's own array when the pass handed that very
 * array to this call of the rule (ctx._grad_owned is grad_output, see run_node) and it is large
 * enough to be worth it; the plain product otherwise. */
PyObject *
fast_grad_times(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "grad_times(ctx, grad_output, factor)");
        return NULL;
    }
    PyObject *ctx = args[0], *g = args[1], *factor = args[2];
    if (configured && PyArray_CheckExact(g) && PyArray_CheckExact(factor) &&
        PyObject_TypeCheck(ctx, Function_type) && SLOT(ctx, F_owned) == g) {
        PyArrayObject *a = AOBJ(g), *f = AOBJ(factor);
        int nd = PyArray_NDIM(a);
        PyObject *ad = (PyObject *)PyArray_DESCR(a), *fd = (PyObject *)PyArray_DESCR(f);
        npy_intp size = PyArray_SIZE(a);
        int fits = size >= IN_PLACE_FROM && nd == PyArray_NDIM(f) &&
                   memcmp(PyArray_DIMS(a), PyArray_DIMS(f), nd * sizeof(npy_intp)) == 0 &&
                   PyArray_CHKFLAGS(a, NPY_ARRAY_WRITEABLE | NPY_ARRAY_OWNDATA);
        if (fits && fd != ad && fd != bool_dtype) {
            fits = PyObject_RichCompareBool(fd, ad, Py_EQ);
            if (fits < 0)
                return NULL;
        }
        if (fits) {
            PyObject *stack[3] = {g, factor, g};
            return PyObject_Vectorcall(multiply, stack, 2, out_kwnames);
        }
    }
    return PyNumber_Multiply(g, factor);
}
