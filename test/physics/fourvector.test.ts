import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deltaPhi, deltaR, eta, fromPtEtaPhiM, mass, phi, pt, sum,
} from '../../analysis/physics/fourvector.ts';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} != ${expected}`);

test('deltaPhi wraps into (-pi, pi]', () => {
  close(deltaPhi(3, -3), 6 - 2 * Math.PI);
  close(deltaPhi(-3, 3), 2 * Math.PI - 6);
  assert.equal(deltaPhi(Math.PI, 0), Math.PI);
  close(deltaPhi(-Math.PI, 0), Math.PI);
  close(deltaPhi(0, Math.PI), Math.PI);
  close(deltaPhi(0.5, 0.2), 0.3);
  close(deltaPhi(7 * Math.PI + 0.1, 0), -Math.PI + 0.1);
  for (let x = -20; x <= 20; x += 0.37) {
    const d = deltaPhi(x, 0.4);
    assert.ok(d > -Math.PI, `deltaPhi(${x}, 0.4) = ${d}`);
    assert.ok(d <= Math.PI, `deltaPhi(${x}, 0.4) = ${d}`);
  }
});

test('deltaR across the phi boundary', () => {
  close(deltaR(0, 3.1, 0, -3.1), 2 * Math.PI - 6.2);
  close(deltaR(1, 0, -2, 0), 3);
  close(deltaR(0.3, 0.1, -0.1, -0.2), 0.5);
});

test('invariant mass of two jets', () => {
  // Back to back at eta 0, massless: m = 2 pt.
  close(mass(sum(fromPtEtaPhiM(50, 0, 0, 0), fromPtEtaPhiM(50, 0, Math.PI, 0))), 100, 1e-9);
  // Massless pair: m^2 = 2 pt1 pt2 (cosh(deta) - cos(dphi)).
  const expected = Math.sqrt(2 * 40 * 30 * (Math.cosh(1.2 - -0.3) - Math.cos(0.4 - 2.0)));
  close(mass(sum(fromPtEtaPhiM(40, 1.2, 0.4, 0), fromPtEtaPhiM(30, -0.3, 2.0, 0))), expected, 1e-9);
  close(mass(fromPtEtaPhiM(45, -1.7, 2.2, 4.8)), 4.8, 1e-9);
  assert.equal(mass({ px: 1, py: 0, pz: 0, e: 0 }), -1, 'negative m^2 keeps its sign');
});

test('pt, eta and phi round trip', () => {
  const v = fromPtEtaPhiM(37.5, -2.1, -2.9, 10);
  close(pt(v), 37.5, 1e-9);
  close(eta(v), -2.1, 1e-9);
  close(phi(v), -2.9, 1e-12);
  assert.equal(eta({ px: 0, py: 0, pz: 5, e: 5 }), Infinity);
  assert.equal(eta({ px: 0, py: 0, pz: 0, e: 1 }), 0);
  assert.equal(phi({ px: 0, py: 0, pz: 3, e: 3 }), 0);
});
