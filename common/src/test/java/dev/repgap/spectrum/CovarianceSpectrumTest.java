package dev.repgap.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CovarianceSpectrumTest {

    @Test
    void twoByTwoClosedForm() {
        // [[2,1],[1,2]] has eigenvalues 3 and 1; PR = 16 / 10.
        CovarianceSpectrum s = CovarianceSpectrum.ofSymmetric(new double[] {2, 1, 1, 2}, 2);
        assertArrayEquals(new double[] {3, 1}, s.eigenvalues(), 1e-12);
        assertEquals(1.6, s.participationRatio(), 1e-12);
        assertEquals(4, s.total(), 1e-12);
        assertEquals(2, s.rank());
    }

    @Test
    void isotropicSpectrumHasParticipationRatioD() {
        int d = 7;
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) m[i * d + i] = 2.5;
        CovarianceSpectrum s = CovarianceSpectrum.ofSymmetric(m, d);
        assertEquals(d, s.participationRatio(), 1e-12);
        assertEquals(d, s.rank());
        assertArrayEquals(new double[] {2.5, 2.5, 2.5}, s.top(3), 1e-12);
    }

    @Test
    void rankIgnoresRoundOffDirections() {
        double[] m = {1, 0, 0, 0, 1e-9, 0, 0, 0, 0};
        CovarianceSpectrum s = CovarianceSpectrum.ofSymmetric(m, 3);
        assertEquals(1, s.rank());
        assertEquals(1, s.participationRatio(), 1e-6);
    }

    @Test
    void zeroMatrixHasNoDimension() {
        CovarianceSpectrum s = CovarianceSpectrum.ofSymmetric(new double[4], 2);
        assertEquals(0, s.rank());
        assertTrue(Double.isNaN(s.participationRatio()));
    }
}
