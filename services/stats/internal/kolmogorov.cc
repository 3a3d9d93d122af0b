#include "services/stats/internal/kolmogorov.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

namespace df::stats::internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kE128 = 128;
const double kEP128 = std::ldexp(1.0, kE128);
const double kEM128 = std::ldexp(1.0, -kE128);
constexpr double kPi = std::numbers::pi;
constexpr double kMinLog = -708;

double Clip01(double p) { return std::clamp(p, 0.0, 1.0); }

// log(n! / n^n) by Stirling's series (scipy's _log_nfactorial_div_n_pow_n).
double LogNFactorialDivNPowN(double n) {
  static constexpr double kStirling[] = {-2.955065359477124183e-2,  6.4102564102564102564e-3,
                                         -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                         -5.952380952380952381e-4,  7.9365079365079365079e-4,
                                         -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  const double rn = 1.0 / n;
  const double z = rn / n;
  double poly = 0.0;
  for (double c : kStirling) poly = poly * z + c;
  return std::log(n) / 2 - n + std::log(2 * kPi) / 2 + rn * poly;
}

// Row-major square matrix product.
std::vector<double> MatMul(const std::vector<double>& a, const std::vector<double>& b, int m) {
  std::vector<double> c(static_cast<size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) {
    for (int k = 0; k < m; ++k) {
      const double aik = a[i * m + k];
      if (aik == 0.0) continue;
      for (int j = 0; j < m; ++j) c[i * m + j] += aik * b[k * m + j];
    }
  }
  return c;
}

// Pr(D_n <= d), Durbin matrix as in Marsaglia–Tsang–Wang (scipy _kolmogn_DMTW).
double DurbinMatrixCdf(int64_t n, double d) {
  if (d >= 1.0) return 1.0;
  const double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;
  const int k = static_cast<int>(std::ceil(nd));
  const double h = k - nd;
  const int m = 2 * k - 1;
  std::vector<double> v(m), w(m);
  double fac = 1.0;
  for (int j = 1; j <= m; ++j) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1.0 - std::pow(h, j)) * fac;
  }
  const double tt = std::pow(std::max(2 * h - 1.0, 0.0), m) - 2 * std::pow(h, m);
  v[m - 1] = (1.0 + tt) * fac;

  std::vector<double> hm(static_cast<size_t>(m) * m, 0.0);
  for (int i = 1; i < m; ++i) {
    for (int r = i - 1; r < m; ++r) hm[r * m + i] = w[r - (i - 1)];
  }
  for (int r = 0; r < m; ++r) hm[static_cast<size_t>(r) * m] = v[r];
  for (int c = 0; c < m; ++c) hm[(m - 1) * m + c] = v[m - 1 - c];

  std::vector<double> power(static_cast<size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) power[i * m + i] = 1.0;
  int64_t nn = n;
  int expnt = 0;
  int h_expnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      power = MatMul(power, hm, m);
      expnt += h_expnt;
    }
    hm = MatMul(hm, hm, m);
    h_expnt *= 2;
    if (std::abs(hm[(k - 1) * m + (k - 1)]) > kEP128) {
      for (double& x : hm) x /= kEP128;
      h_expnt += kE128;
    }
    nn /= 2;
  }
  double p = power[(k - 1) * m + (k - 1)];
  for (int64_t i = 1; i <= n; ++i) {
    p = static_cast<double>(i) * p / static_cast<double>(n);
    if (std::abs(p) < kEM128) {
      p *= kEP128;
      expnt -= kE128;
    }
  }
  if (expnt != 0) p = std::ldexp(p, expnt);
  return Clip01(p);
}

// Interval of row i in the Pomeranz recursion (scipy _pomeranz_compute_j1j2).
void PomeranzJ1J2(int64_t i, int64_t n, int64_t ll, int ceilf, int roundf, int64_t* j1,
                  int64_t* j2) {
  int64_t a = 0, b = 0;
  if (i == 0) {
    a = -ll - ceilf - 1;
    b = ll + ceilf - 1;
  } else {
    const int64_t ip1div2 = (i + 1) / 2;
    const int64_t ip1mod2 = (i + 1) % 2;
    if (ip1mod2 == 0) {
      if (ip1div2 == n + 1) {
        a = n - ll - ceilf - 1;
        b = n + ll + ceilf - 1;
      } else {
        a = ip1div2 - 1 - ll - roundf - 1;
        b = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      a = ip1div2 - 1 - ll - 1;
      b = ip1div2 + ll + roundf - 1;
    }
  }
  *j1 = std::max<int64_t>(a + 2, 0);
  *j2 = std::min<int64_t>(b, n);
}

// Pr(D_n <= x), Pomeranz (1974) recursion (scipy _kolmogn_Pomeranz).
double PomeranzCdf(int64_t n, double x) {
  const double t = static_cast<double>(n) * x;
  const int64_t ll = static_cast<int64_t>(std::floor(t));
  const double f = t - static_cast<double>(ll);
  const double g = std::min(f, 1.0 - f);
  const int ceilf = f > 0 ? 1 : 0;
  const int roundf = f > 0.5 ? 1 : 0;
  const int64_t npwrs = 2 * (ll + 1);
  std::vector<double> gpower(npwrs), twogpower(npwrs), onem2gpower(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
  const double dn = static_cast<double>(n);
  const double g_over_n = g / dn, two_g_over_n = 2 * g / dn, one_m2g_over_n = (1 - 2 * g) / dn;
  for (int64_t m = 1; m < npwrs; ++m) {
    gpower[m] = gpower[m - 1] * g_over_n / static_cast<double>(m);
    twogpower[m] = twogpower[m - 1] * two_g_over_n / static_cast<double>(m);
    onem2gpower[m] = onem2gpower[m - 1] * one_m2g_over_n / static_cast<double>(m);
  }
  std::vector<double> v0(npwrs, 0.0), v1(npwrs, 0.0);
  v1[0] = 1.0;
  int64_t v0s = 0, v1s = 0;
  int expnt = 0;
  int64_t j1 = 0, j2 = 0;
  PomeranzJ1J2(0, n, ll, ceilf, roundf, &j1, &j2);
  std::vector<double> seg;
  for (int64_t i = 1; i < 2 * n + 2; ++i) {
    const int64_t k1 = j1;
    std::swap(v0, v1);
    std::swap(v0s, v1s);
    std::fill(v1.begin(), v1.end(), 0.0);
    PomeranzJ1J2(i, n, ll, ceilf, roundf, &j1, &j2);
    const std::vector<double>& pwrs =
        (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 ? twogpower : onem2gpower);
    const int64_t ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // numpy slices truncate at the array end.
      const int64_t a_start = k1 - v0s;
      const int64_t a_len = std::clamp<int64_t>(npwrs - a_start, 0, ln2);
      const int64_t p_len = std::min<int64_t>(ln2, npwrs);
      const int64_t conv_start = j1 - k1;
      const int64_t conv_len = j2 - j1 + 1;
      double vmax = -std::numeric_limits<double>::infinity();
      for (int64_t c = 0; c < conv_len; ++c) {
        const int64_t idx = conv_start + c;  // index into the full convolution
        double s = 0.0;
        const int64_t lo = std::max<int64_t>(0, idx - (p_len - 1));
        const int64_t hi = std::min<int64_t>(a_len - 1, idx);
        for (int64_t q = lo; q <= hi; ++q) s += v0[a_start + q] * pwrs[idx - q];
        v1[c] = s;
        vmax = std::max(vmax, s);
      }
      for (int64_t c = conv_len; c < npwrs; ++c) vmax = std::max(vmax, v1[c]);
      if (0 < vmax && vmax < kEM128) {
        for (double& y : v1) y *= kEP128;
        expnt -= kE128;
      }
      v1s = v0s + j1 - k1;
    }
  }
  double ans = v1[n - v1s];
  for (int64_t m = 1; m <= n; ++m) {
    if (std::abs(ans) > kEP128) {
      ans *= kEM128;
      expnt += kE128;
    }
    ans *= static_cast<double>(m);
  }
  if (expnt != 0) ans = std::ldexp(ans, expnt);
  return Clip01(ans);
}

// Pelz–Good approximation to Pr(D_n <= x) (scipy _kolmogn_PelzGood, cdf=True).
double PelzGoodCdf(int64_t n, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double dn = static_cast<double>(n);
  const double z = std::sqrt(dn) * x;
  const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const double pi2 = kPi * kPi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const double qlog = -pi2 / 8 / z2;
  if (qlog < kMinLog) return 0.0;
  double q = std::exp(qlog);
  const double k1a = -z2, k1b = pi2 / 4;
  const double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4,
               k2c = pi4 * (1 - 2 * z2) / 16;
  const double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16,
               k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * std::pow(z, 8);
  double k0to3[4] = {0, 0, 0, 0};
  const int64_t maxk = static_cast<int64_t>(std::ceil(16 * z / kPi));
  for (int64_t k = maxk; k > 0; --k) {
    const double m = static_cast<double>(2 * k - 1);
    const double m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const double qpower = std::pow(q, static_cast<double>(8 * k));
    const double coeffs[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                              k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int i = 0; i < 4; ++i) k0to3[i] = k0to3[i] * qpower + coeffs[i];
  }
  const double sqrt2pi = std::sqrt(2 * kPi);
  const double denom[4] = {z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
  for (int i = 0; i < 4; ++i) k0to3[i] = k0to3[i] * q * sqrt2pi / denom[i];

  q = std::exp(-pi2 / 2 / z2);
  double k2extra = 0.0, k3extra = 0.0;
  const double sqrt3z = std::sqrt(3.0) * z;
  for (int64_t k = maxk; k > 0; --k) {
    const double kk = static_cast<double>(k);
    const double qp = std::pow(q, kk * kk);
    const double kspi = kPi * kk;
    k2extra += kk * kk * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * kk * kk * qp;
  }
  k0to3[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
  k0to3[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
  double sum = 0.0;
  for (int i = 0; i < 4; ++i) sum += k0to3[i] / std::pow(dn, i / 2.0);
  return sum;
}

}  // namespace

double ProbOutsideSquare(int64_t n, int64_t h) {
  if (n < 1 || h < 1 || h > n) return kNaN;
  double p = 0.0;
  for (int64_t k = n / h; k >= 0; --k) {
    double p1 = 1.0;
    for (int64_t j = 0; j < h; ++j) {
      p1 = static_cast<double>(n - k * h - j) * p1 / static_cast<double>(n + k * h + j + 1);
    }
    p = p1 * (1.0 - p);
  }
  return 2 * p;
}

double OuterProbInsideMethod(int64_t m, int64_t n, int64_t g, int64_t h) {
  if (m < n) std::swap(m, n);
  const int64_t mg = m / g;
  const int64_t ng = n / g;
  // A holds, along one column of the lattice, the probability that a random path to
  // that point has already left the band |x/m - y/n| < h / lcm (a sliding window of it).
  int64_t minj = 0;
  int64_t maxj = std::min<int64_t>(
      static_cast<int64_t>(std::ceil(static_cast<double>(h) / static_cast<double>(mg))), n + 1);
  int64_t curlen = maxj - minj;
  const int64_t len_a = std::min<int64_t>(2 * maxj + 2, n + 1);
  std::vector<double> a(len_a, 1.0);
  std::fill(a.begin() + minj, a.begin() + std::min(maxj, len_a), 0.0);
  for (int64_t i = 1; i <= m; ++i) {
    const int64_t lastminj = minj, lastlen = curlen;
    minj = std::max<int64_t>(static_cast<int64_t>(std::floor(static_cast<double>(ng * i - h) /
                                                             static_cast<double>(mg))) +
                                 1,
                             0);
    minj = std::min(minj, n);
    maxj = std::min<int64_t>(
        static_cast<int64_t>(std::ceil(static_cast<double>(ng * i + h) / static_cast<double>(mg))),
        n + 1);
    if (maxj <= minj) return 1.0;
    double val = minj == 0 ? 0.0 : 1.0;
    const double di = static_cast<double>(i);
    for (int64_t jj = 0; jj < maxj - minj; ++jj) {
      const double j = static_cast<double>(jj + minj);
      val = (a[jj + minj - lastminj] * di + val * j) / (di + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      const int64_t end = std::min<int64_t>(maxj - minj + (lastlen - curlen), len_a);
      std::fill(a.begin() + (maxj - minj), a.begin() + end, 1.0);
    }
  }
  return a[maxj - minj - 1];
}

double SmirnovSf(int64_t n, double x) {
  if (n < 1 || !(x >= 0.0 && x <= 1.0)) return kNaN;
  if (x == 0.0) return 1.0;
  if (x == 1.0) return 0.0;
  // Pr(D+_n >= x) = x * sum_{j=0}^{floor(n(1-x))} C(n,j) (1-x-j/n)^(n-j) (x+j/n)^(j-1),
  // all terms positive, summed in log space (no cancellation).
  const double dn = static_cast<double>(n);
  const double nx = dn * x;
  const int64_t jmax = static_cast<int64_t>(std::floor(dn * (1.0 - x)));
  double log_binom = 0.0;  // log C(n, j)
  double sum = 0.0;
  for (int64_t j = 0; j <= jmax && j <= n; ++j) {
    if (j > 0) {
      log_binom += std::log(static_cast<double>(n - j + 1)) - std::log(static_cast<double>(j));
    }
    const double dj = static_cast<double>(j);
    const double below = (dn - dj - nx) / dn;  // 1 - x - j/n
    if (below <= 0.0) continue;
    const double above = (nx + dj) / dn;  // x + j/n
    const double log_term = log_binom + (dn - dj) * std::log(below) + (dj - 1.0) * std::log(above);
    sum += std::exp(log_term);
  }
  return Clip01(x * sum);
}

double KolmogorovSf(int64_t n, double x) {
  if (n < 1 || std::isnan(x)) return kNaN;
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const double dn = static_cast<double>(n);
  const double t = dn * x;
  if (t <= 1.0) {  // Ruben–Gambino: 1/2n <= x <= 1/n
    if (t <= 0.5) return 1.0;
    double prob = 0.0;
    if (n <= 140) {
      prob = 1.0;
      for (int64_t i = 1; i <= n; ++i) prob *= static_cast<double>(i) * (1.0 / dn) * (2 * t - 1);
    } else {
      prob = std::exp(LogNFactorialDivNPowN(dn) + dn * std::log(2 * t - 1));
    }
    return Clip01(1.0 - prob);
  }
  if (t >= dn - 1) return Clip01(2 * std::pow(1.0 - x, dn));  // Ruben–Gambino
  if (x >= 0.5) return Clip01(2 * SmirnovSf(n, x));
  const double nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) return Clip01(1.0 - DurbinMatrixCdf(n, x));
    if (nxsquared <= 4) return Clip01(1.0 - PomeranzCdf(n, x));
    return Clip01(2 * SmirnovSf(n, x));
  }
  if (nxsquared >= 370.0) return 0.0;
  if (nxsquared >= 2.2) return Clip01(2 * SmirnovSf(n, x));
  double cdf = 0.0;
  if (nxsquared >= 18.0) {
    cdf = 1.0;
  } else if (n <= 100000 && dn * std::pow(x, 1.5) <= 1.4) {
    cdf = DurbinMatrixCdf(n, x);
  } else {
    cdf = PelzGoodCdf(n, x);
  }
  return Clip01(1.0 - cdf);
}

}  // namespace df::stats::internal
