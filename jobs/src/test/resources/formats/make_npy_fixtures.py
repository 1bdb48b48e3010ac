# Wrote the numpy_*.npy fixtures here (NumPy 2.4); NpyFileTest checks their values. Not run by the build.
import numpy as np

np.save('numpy_f4_c.npy', (np.arange(12) / 4 - 1).astype('<f4').reshape(4, 3))
np.save('numpy_f8_fortran_be.npy', np.asfortranarray((np.arange(15) * 1.5 - 2).astype('>f8').reshape(5, 3)))
np.save('numpy_labels_i8.npy', np.array([3, -1, 7, 0, 2**40], dtype='<i8'))
np.save('numpy_labels_str.npy', np.array(['cat', 'dög', '日本語', '😀', '']))
with open('numpy_f4_v2.npy', 'wb') as f:
    np.lib.format.write_array(f, (np.arange(6) - 2.5).astype('<f4').reshape(2, 3), version=(2, 0))
with open('numpy_u2_v3.npy', 'wb') as f:
    np.lib.format.write_array(f, np.array([0, 1, 65535], dtype='<u2'), version=(3, 0))
