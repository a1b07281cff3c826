//! Fingers on the canvas: one drags (as the mouse does: tap selects, drag moves a node or pans),
//! two pinch to zoom and move together to pan.

use super::*;

/// The view when the second finger came down, and where the fingers were then.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Pinch {
    /// The fingers' distance apart.
    apart: f32,
    /// Their midpoint, in the canvas element's pixels.
    mid: (f32, f32),
    scale: f32,
    tx: f32,
    ty: f32,
}

impl Pinch {
    /// The view (scale, tx, ty) for the fingers now `apart` with their midpoint at `mid`: the
    /// point of the drawing that was under the midpoint stays under it, scaled by how far the
    /// fingers moved apart.
    pub(super) fn view(&self, apart: f32, mid: (f32, f32)) -> (f32, f32, f32) {
        let s = (self.scale * apart / self.apart.max(1.0)).clamp(0.1, 4.0);
        let (cx, cy) = ((self.mid.0 - self.tx) / self.scale, (self.mid.1 - self.ty) / self.scale);
        (s, mid.0 - cx * s, mid.1 - cy * s)
    }
}

impl App {
    /// The two first fingers' distance apart and midpoint (in the canvas element's pixels).
    fn fingers(&self) -> Option<(f32, (f32, f32))> {
        let [(_, x0, y0), (_, x1, y1), ..] = self.touches[..] else {
            return None;
        };
        let (left, top) = self.svg_origin();
        let apart = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        Some((apart, ((x0 + x1) / 2.0 - left, (y0 + y1) / 2.0 - top)))
    }

    /// A finger comes down. True when it is the second: the gesture is a pinch from now on
    /// (what the first finger was dragging stays where it was).
    pub(super) fn touch_down(&mut self, pointer: i32, x: f32, y: f32) -> bool {
        self.touches.retain(|t| t.0 != pointer);
        self.touches.push((pointer, x, y));
        if self.touches.len() < 2 {
            return false;
        }
        self.drag = None;
        if let Some((apart, mid)) = self.fingers() {
            self.pinch = Some(Pinch {
                apart,
                mid,
                scale: self.scale,
                tx: self.tx,
                ty: self.ty,
            });
        }
        true
    }

    /// A finger moves. True when it moved the view (a pinch).
    pub(super) fn touch_move(&mut self, pointer: i32, x: f32, y: f32) -> bool {
        if let Some(t) = self.touches.iter_mut().find(|t| t.0 == pointer) {
            (t.1, t.2) = (x, y);
        }
        let (Some(p), Some((apart, mid))) = (self.pinch, self.fingers()) else {
            return false;
        };
        (self.scale, self.tx, self.ty) = p.view(apart, mid);
        true
    }

    /// A finger lifts. True when it was part of a pinch (which ends with the last finger).
    pub(super) fn touch_up(&mut self, pointer: i32) -> bool {
        self.touches.retain(|t| t.0 != pointer);
        if self.pinch.is_none() {
            return false;
        }
        if self.touches.is_empty() {
            self.pinch = None;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::Pinch;

    #[test]
    fn a_pinch_keeps_the_point_between_the_fingers_under_them() {
        let p = Pinch {
            apart: 100.0,
            mid: (200.0, 150.0),
            scale: 1.0,
            tx: 20.0,
            ty: 10.0,
        };
        // not moved: the same view
        assert_eq!(p.view(100.0, (200.0, 150.0)), (1.0, 20.0, 10.0));
        // twice as far apart: twice the scale, the drawing's point (180, 140) still at (200, 150)
        let (s, tx, ty) = p.view(200.0, (200.0, 150.0));
        assert_eq!(s, 2.0);
        assert_eq!((180.0 * s + tx, 140.0 * s + ty), (200.0, 150.0));
        // both fingers moved 50 px right: a pan
        assert_eq!(p.view(100.0, (250.0, 150.0)), (1.0, 70.0, 10.0));
        // the scale stays within the wheel's limits
        assert_eq!(p.view(10_000.0, (200.0, 150.0)).0, 4.0);
    }
}
