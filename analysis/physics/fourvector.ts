/**
 * Four-vectors of physics objects. Inputs are (pt, eta, phi, mass) as NanoAOD stores them:
 * momenta and masses in GeV, angles in radians. Components are Cartesian (px, py, pz, E)
 * so that sums are plain additions.
 */
export interface FourVector {
  px: number;
  py: number;
  pz: number;
  e: number;
}

const TWO_PI = 2 * Math.PI;

/** Builds a four-vector from pt, eta, phi and mass (GeV, radians). */
export function fromPtEtaPhiM(pt: number, eta: number, phi: number, mass: number): FourVector {
  const pz = pt * Math.sinh(eta);
  return {
    px: pt * Math.cos(phi),
    py: pt * Math.sin(phi),
    pz,
    e: Math.sqrt(pt * pt + pz * pz + mass * mass),
  };
}

/** Sums four-vectors component by component. */
export function sum(...vectors: FourVector[]): FourVector {
  const total = { px: 0, py: 0, pz: 0, e: 0 };
  for (const v of vectors) {
    total.px += v.px;
    total.py += v.py;
    total.pz += v.pz;
    total.e += v.e;
  }
  return total;
}

/**
 * Invariant mass in GeV. A negative m^2 (from rounding, for nearly massless systems) gives
 * -sqrt(-m^2), as ROOT's TLorentzVector::M() does, so that it stays visible.
 */
export function mass(v: FourVector): number {
  const m2 = v.e * v.e - v.px * v.px - v.py * v.py - v.pz * v.pz;
  return m2 >= 0 ? Math.sqrt(m2) : -Math.sqrt(-m2);
}

/** Transverse momentum in GeV. */
export function pt(v: FourVector): number {
  return Math.hypot(v.px, v.py);
}

/** Pseudorapidity; +-Infinity along the beam axis, 0 for a null vector. */
export function eta(v: FourVector): number {
  const transverse = pt(v);
  if (transverse > 0) return Math.asinh(v.pz / transverse);
  return v.pz === 0 ? 0 : Math.sign(v.pz) * Infinity;
}

/** Azimuth in radians, in (-pi, pi]. */
export function phi(v: FourVector): number {
  return v.px === 0 && v.py === 0 ? 0 : Math.atan2(v.py, v.px);
}

/** phi1 - phi2 wrapped into (-pi, pi]. */
export function deltaPhi(phi1: number, phi2: number): number {
  const d = phi1 - phi2;
  if (d > -Math.PI && d <= Math.PI) return d;
  return d - TWO_PI * Math.ceil((d - Math.PI) / TWO_PI);
}

/** Distance in the (eta, phi) plane: sqrt(deta^2 + dphi^2), dphi wrapped into (-pi, pi]. */
export function deltaR(eta1: number, phi1: number, eta2: number, phi2: number): number {
  const dEta = eta1 - eta2;
  const dPhi = deltaPhi(phi1, phi2);
  return Math.sqrt(dEta * dEta + dPhi * dPhi);
}
