# formsapi.h's own type, for `python -m hpyapi pxd --types`: lines of the
# generated .pxd's `cdef extern from` block
ctypedef struct forms_version:
    unsigned int abi
    unsigned int api
    unsigned int feature
