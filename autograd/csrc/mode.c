/* The gradient mode of each thread (mode.py's _Mode is the reference): whether ops record the
 * graph, and whether detect_anomaly is on. Kept in C thread-local storage, so that the engine
 * reads it with no attribute call (a threading.local's costs a dictionary search per read), and
 * Python reads and writes it through the attributes of one Mode object, as it does _Mode's.
 * Each thread starts with recording on and anomaly detection off, as with _Mode. */
#include "fast.h"

static _Thread_local int grad_enabled = 1;
static _Thread_local PyObject *anomaly_value = NULL;    /* NULL: False */

int
mode_enabled(void)
{
    return grad_enabled;
}

int
mode_anomaly(void)
{
    return anomaly_value != NULL && anomaly_value != Py_False && anomaly_value != Py_None;
}

void
mode_set_enabled(int on)
{
    grad_enabled = on;
}

static PyObject *
get_enabled(PyObject *self, void *closure)
{
    return PyBool_FromLong(grad_enabled);
}

static int
set_enabled(PyObject *self, PyObject *value, void *closure)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "Mode.enabled cannot be deleted");
        return -1;
    }
    int on = PyObject_IsTrue(value);
    if (on < 0)
        return -1;
    grad_enabled = on;
    return 0;
}

static PyObject *
get_anomaly(PyObject *self, void *closure)
{
    return Py_NewRef(anomaly_value != NULL ? anomaly_value : Py_False);
}

static int
set_anomaly(PyObject *self, PyObject *value, void *closure)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "Mode.anomaly cannot be deleted");
        return -1;
    }
    Py_XSETREF(anomaly_value, Py_NewRef(value));
    return 0;
}

static PyGetSetDef mode_getset[] = {
    {"enabled", get_enabled, set_enabled, "whether ops record the graph in this thread", NULL},
    {"anomaly", get_anomaly, set_anomaly, "detect_anomaly's check_nan in this thread (False: "
     "off)", NULL},
    {NULL},
};

PyTypeObject Mode_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "autograd._fast.Mode",
    .tp_doc = "Mode(): the gradient mode of each thread, in C thread-local storage (see "
              "autograd/csrc/mode.c; every Mode object reads and writes the same).",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_getset = mode_getset,
};
