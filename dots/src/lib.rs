//! The messages in flight as a picture: the dots layer's pixels, drawn here and handed to the
//! canvas as one rectangle (`putImageData`) a frame.
//!
//! Drawn as canvas paths, every dot is a separate anti-aliased fill that a software-rastered
//! canvas (headless Chromium, machines without a GPU) rasterises during the browser's commit at
//! about 9 µs each: 700 dots took ~12 ms of every 4x-throttled frame. Stamping a precomputed
//! disc into a buffer costs a few hundred nanoseconds a dot, and the browser only copies the
//! rectangle that changed.
//!
//! Pixels are RGBA, not premultiplied (the `ImageData` format), `width * height * 4` bytes.
//!
//! Its own crate so that the page's build, small everywhere else, compiles this loop for speed
//! (`[profile.web.package.warren-dots]` in the workspace's Cargo.toml).

/// A rectangle of pixels, `x0..x1` by `y0..y1` (end exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

impl Rect {
    pub fn width(&self) -> u32 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> u32 {
        self.y1 - self.y0
    }

    fn union(self, o: Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
}

/// A dot's shape: each kind of message has its own, so that the dots are told apart by shape as
/// well as by colour (by viewers who do not see the colours apart, and in print).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Disc,
    /// A disc with a hole: the canvas shows through its middle.
    Ring,
    Square,
    Diamond,
    /// Pointing up.
    Triangle,
}

impl Shape {
    /// Whether the point (`dx`, `dy`) from the centre is inside the shape of radius `r`.
    fn inside(self, dx: f32, dy: f32, r: f32) -> bool {
        let d2 = dx * dx + dy * dy;
        match self {
            Shape::Disc => d2 <= r * r,
            Shape::Ring => d2 <= r * r && d2 >= 0.3 * r * r,
            Shape::Square => dx.abs() <= 0.85 * r && dy.abs() <= 0.85 * r,
            Shape::Diamond => dx.abs() + dy.abs() <= r,
            Shape::Triangle => dy <= 0.8 * r && dx.abs() <= (dy + r) / 1.8,
        }
    }
}

/// A shape's coverage (0..=255 per pixel) in a `size` x `size` square, centred in it.
struct Disc {
    size: u32,
    cover: Vec<u8>,
}

impl Disc {
    /// Coverage by 4x4 samples per pixel, for radius `r` pixels.
    fn new(r: f32, shape: Shape) -> Disc {
        let size = (2.0 * r).ceil() as u32 + 2;
        let c = size as f32 / 2.0;
        let mut cover = Vec::with_capacity((size * size) as usize);
        for py in 0..size {
            for px in 0..size {
                let mut n = 0u32;
                for sy in 0..4 {
                    for sx in 0..4 {
                        let dx = px as f32 + (sx as f32 + 0.5) / 4.0 - c;
                        let dy = py as f32 + (sy as f32 + 0.5) / 4.0 - c;
                        n += u32::from(shape.inside(dx, dy, r));
                    }
                }
                cover.push((n * 255 / 16) as u8);
            }
        }
        Disc { size, cover }
    }
}

/// The largest radius drawn (device pixels): beyond it a dot is drawn at this size. Keeps a
/// zoomed-in view from stamping huge discs.
const MAX_RADIUS: f32 = 64.0;

/// The dots layer's picture. Each frame: [`Dots::begin`], a [`Dots::dot`] per message in
/// flight, then hand [`Dots::take_dirty`]'s rectangle of [`Dots::pixels`] to the canvas.
#[derive(Default)]
pub struct Dots {
    width: u32,
    height: u32,
    px: Vec<u8>,
    /// The rectangles the current picture stamped (cleared by the next `begin`).
    drawn: Vec<Rect>,
    /// What changed since the picture was last handed over.
    dirty: Option<Rect>,
    /// Shapes by radius in quarter pixels (a few sizes: one per zoom level and highlight).
    discs: Vec<((u32, Shape), Disc)>,
    count: usize,
}

impl Dots {
    /// A picture of `width` x `height` pixels. Changing the size clears it.
    pub fn resize(&mut self, width: u32, height: u32) {
        if (width, height) == (self.width, self.height) {
            return;
        }
        self.width = width;
        self.height = height;
        self.px = vec![0; width as usize * height as usize * 4];
        self.drawn.clear();
        self.dirty = (width > 0 && height > 0).then_some(Rect {
            x0: 0,
            y0: 0,
            x1: width,
            y1: height,
        });
    }

    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The pixels, RGBA, row by row.
    pub fn pixels(&self) -> &[u8] {
        &self.px
    }

    /// How many dots the current picture has.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Start a new picture: the last one's dots are erased.
    pub fn begin(&mut self) {
        let row = self.width as usize * 4;
        for r in std::mem::take(&mut self.drawn) {
            for y in r.y0..r.y1 {
                let at = y as usize * row;
                self.px[at + r.x0 as usize * 4..at + r.x1 as usize * 4].fill(0);
            }
            self.mark(r);
        }
        self.count = 0;
    }

    fn mark(&mut self, r: Rect) {
        self.dirty = Some(self.dirty.map_or(r, |d| d.union(r)));
    }

    /// A dot of radius `r` centred on (`x`, `y`) (pixels), in colour `rgb`, drawn over what is
    /// there. Dots wholly off the picture, or not at a finite place, are left out.
    pub fn dot(&mut self, x: f32, y: f32, r: f32, rgb: [u8; 3]) {
        self.shape(x, y, r, rgb, Shape::Disc);
    }

    /// A dot of the given shape (see [`Dots::dot`]).
    #[inline(never)]
    pub fn shape(&mut self, x: f32, y: f32, r: f32, rgb: [u8; 3], shape: Shape) {
        if !(x.is_finite() && y.is_finite() && r.is_finite()) || r <= 0.0 {
            return;
        }
        let q = (r.min(MAX_RADIUS) * 4.0).round().max(1.0) as u32;
        let i = match self.discs.iter().position(|d| d.0 == (q, shape)) {
            Some(i) => i,
            None => {
                if self.discs.len() >= 32 {
                    self.discs.clear();
                }
                self.discs.push(((q, shape), Disc::new(q as f32 / 4.0, shape)));
                self.discs.len() - 1
            }
        };
        let disc = &self.discs[i].1;
        let size = disc.size as i64;
        let (w, h) = (self.width as i64, self.height as i64);
        let (left, top) = ((x - size as f32 / 2.0).round(), (y - size as f32 / 2.0).round());
        if left <= -size as f32 || top <= -size as f32 || left >= w as f32 || top >= h as f32 {
            return;
        }
        let (left, top) = (left as i64, top as i64);
        let (x0, y0) = (left.max(0), top.max(0));
        let (x1, y1) = ((left + size).min(w), (top + size).min(h));
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let (w, size) = (self.width as usize, size as usize);
        let (cx0, cx1) = ((x0 - left) as usize, (x1 - left) as usize);
        let solid = [rgb[0], rgb[1], rgb[2], 255];
        for py in y0..y1 {
            let cover = &disc.cover[(py - top) as usize * size..][cx0..cx1];
            let line = &mut self.px[(py as usize * w + x0 as usize) * 4..(py as usize * w + x1 as usize) * 4];
            for (p, &a) in line.chunks_exact_mut(4).zip(cover) {
                match a {
                    0 => {}
                    255 => p.copy_from_slice(&solid),
                    a => blend(p, rgb, a),
                }
            }
        }
        let r = Rect {
            x0: x0 as u32,
            y0: y0 as u32,
            x1: x1 as u32,
            y1: y1 as u32,
        };
        self.drawn.push(r);
        self.mark(r);
        self.count += 1;
    }

    /// The rectangle that changed since the last call (None: nothing did).
    pub fn take_dirty(&mut self) -> Option<Rect> {
        self.dirty.take()
    }
}

/// `rgb` at coverage `a` over the pixel `p` (RGBA, not premultiplied).
fn blend(p: &mut [u8], rgb: [u8; 3], a: u8) {
    if a == 0 {
        return;
    }
    let da = p[3] as u32;
    if a == 255 || da == 0 {
        p[..3].copy_from_slice(&rgb);
        p[3] = a;
        return;
    }
    let sa = a as u32;
    // out_a = sa + da (1 - sa); out_c = (c sa + dst_c da (1 - sa)) / out_a, in 255ths
    let under = da * (255 - sa);
    let oa = sa * 255 + under;
    for (d, &c) in p[..3].iter_mut().zip(&rgb) {
        *d = ((c as u32 * sa * 255 + *d as u32 * under + oa / 2) / oa) as u8;
    }
    p[3] = ((oa + 127) / 255) as u8;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: &Dots, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * d.width + x) * 4) as usize;
        d.pixels()[i..i + 4].try_into().unwrap()
    }

    /// A picture of `w` by `h`, its first full redraw taken, begun.
    fn blank(w: u32, h: u32) -> Dots {
        let mut d = Dots::default();
        d.resize(w, h);
        d.take_dirty();
        d.begin();
        d
    }

    fn ink(d: &Dots) -> u32 {
        d.pixels().chunks(4).map(|p| p[3] as u32).sum()
    }

    const ORANGE: [u8; 3] = [0xf2, 0x8c, 0x28];
    const PURPLE: [u8; 3] = [0x7b, 0x61, 0xff];

    #[test]
    fn a_dot_covers_its_disc_and_nothing_else() {
        let mut d = blank(100, 80);
        d.dot(40.0, 30.0, 7.0, ORANGE);
        assert_eq!(at(&d, 40, 30), [0xf2, 0x8c, 0x28, 255]);
        assert_eq!(at(&d, 40, 30 - 5), [0xf2, 0x8c, 0x28, 255]);
        assert_eq!(at(&d, 40 + 9, 30)[3], 0);
        assert_eq!(at(&d, 40 - 6, 30 - 6)[3], 0, "outside the circle, inside its square");
        // the painted area is the disc's: pi r^2 pixels, give or take the edge
        let area = ink(&d) as f32 / 255.0;
        let disc = std::f32::consts::PI * 49.0;
        assert!((area - disc).abs() < 3.0, "area {area} against {disc}");
        // the edge is anti-aliased: some pixels are partly covered
        assert!(d.pixels().chunks(4).any(|p| p[3] > 0 && p[3] < 255));
        assert_eq!(d.count(), 1);
        assert_eq!(
            d.take_dirty(),
            Some(Rect {
                x0: 32,
                y0: 22,
                x1: 48,
                y1: 38
            })
        );
        assert_eq!(d.take_dirty(), None);
    }

    #[test]
    fn the_next_picture_erases_the_last_and_reports_both_places() {
        let mut d = blank(200, 100);
        d.dot(20.0, 20.0, 7.0, ORANGE);
        d.take_dirty();
        d.begin();
        d.dot(150.0, 70.0, 7.0, ORANGE);
        assert_eq!(at(&d, 20, 20)[3], 0, "the old dot is gone");
        assert_eq!(at(&d, 150, 70)[3], 255);
        let r = d.take_dirty().unwrap();
        assert!(r.x0 <= 13 && r.y0 <= 13 && r.x1 >= 158 && r.y1 >= 78, "{r:?}");
        let area = ink(&d) as f32 / 255.0;
        assert!((area - std::f32::consts::PI * 49.0).abs() < 3.0);
        // an empty picture still reports where the old dots were, so the canvas erases them
        d.begin();
        assert_eq!(ink(&d), 0);
        assert_eq!(d.count(), 0);
        assert!(d.take_dirty().is_some());
    }

    #[test]
    fn dots_at_the_edges_are_clipped_and_those_off_the_picture_or_nowhere_are_left_out() {
        let mut d = blank(50, 40);
        d.dot(0.0, 0.0, 7.0, ORANGE);
        d.dot(50.0, 40.0, 7.0, ORANGE);
        assert_eq!(at(&d, 0, 0)[3], 255);
        assert_eq!(at(&d, 49, 39)[3], 255);
        assert_eq!(d.count(), 2);
        for (x, y) in [
            (-20.0, 10.0),
            (10.0, 60.0),
            (f32::NAN, 1.0),
            (1.0, f32::INFINITY),
            (1e30, -1e30),
        ] {
            d.dot(x, y, 7.0, ORANGE);
        }
        d.dot(10.0, 10.0, 0.0, ORANGE);
        d.dot(10.0, 10.0, f32::NAN, ORANGE);
        assert_eq!(d.count(), 2);
        // a huge radius (zoomed far in) is drawn at the largest size, not as a huge disc
        d.dot(25.0, 20.0, 1e9, ORANGE);
        assert_eq!(d.count(), 3);
    }

    #[test]
    fn overlapping_dots_blend_and_a_resize_clears() {
        let mut d = Dots::default();
        d.resize(60, 60);
        d.begin();
        d.dot(30.0, 30.0, 7.0, ORANGE);
        d.dot(34.0, 30.0, 7.0, PURPLE);
        // where the second is solid it wins; its soft edge over the first mixes the two
        assert_eq!(at(&d, 34, 30), [0x7b, 0x61, 0xff, 255]);
        let mixed = d
            .pixels()
            .chunks(4)
            .any(|p| p[3] == 255 && p[..3] != ORANGE && p[..3] != PURPLE);
        assert!(mixed, "an edge pixel mixes the colours");
        // a partly covered pixel over nothing keeps the colour and takes the coverage
        let mut p = [0, 0, 0, 0];
        blend(&mut p, ORANGE, 100);
        assert_eq!(p, [0xf2, 0x8c, 0x28, 100]);
        // half over solid: halfway between the colours, solid
        let mut p = [0, 0, 0, 255];
        blend(&mut p, [255, 255, 255], 128);
        assert_eq!(p[3], 255);
        assert!((127..=129).contains(&p[0]), "{p:?}");
        d.resize(30, 30);
        assert_eq!(ink(&d), 0);
        assert_eq!(
            d.take_dirty(),
            Some(Rect {
                x0: 0,
                y0: 0,
                x1: 30,
                y1: 30
            })
        );
    }

    /// The row runs give the same picture as blending every pixel of the disc's square.
    #[test]
    fn stamping_by_runs_matches_every_pixel_blended() {
        let (w, h) = (61u32, 47u32);
        let mut d = Dots::default();
        d.resize(w, h);
        let mut reference = vec![0u8; (w * h * 4) as usize];
        let mut seed = 7u32;
        let mut next = |n: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 8) % n
        };
        d.begin();
        for i in 0..300 {
            let (x, y) = (next(80) as f32 - 10.0 + 0.37, next(66) as f32 - 10.0 - 0.21);
            let r = 0.5 + next(60) as f32 / 4.0;
            let rgb = if i % 2 == 0 { ORANGE } else { PURPLE };
            d.dot(x, y, r, rgb);
            // every pixel of the disc's square, clipped to the picture
            let disc = Disc::new((r * 4.0).round() / 4.0, Shape::Disc);
            let size = disc.size as i64;
            let (left, top) = (
                (x - size as f32 / 2.0).round() as i64,
                (y - size as f32 / 2.0).round() as i64,
            );
            for dy in 0..size {
                for dx in 0..size {
                    let (px, py) = (left + dx, top + dy);
                    if px < 0 || py < 0 || px >= w as i64 || py >= h as i64 {
                        continue;
                    }
                    let i = ((py * w as i64 + px) * 4) as usize;
                    blend(&mut reference[i..i + 4], rgb, disc.cover[(dy * size + dx) as usize]);
                }
            }
        }
        assert!(d.pixels() == &reference[..], "the pictures differ");
        assert!(ink(&d) > 0);
    }

    #[test]
    fn each_shape_covers_its_own_area() {
        let area = |shape: Shape| {
            let mut d = Dots::default();
            d.resize(40, 40);
            d.begin();
            d.shape(20.0, 20.0, 10.0, [0, 0, 0], shape);
            d.pixels().chunks_exact(4).map(|p| p[3] as f32 / 255.0).sum::<f32>()
        };
        let pi = std::f32::consts::PI * 100.0;
        let near = |a: f32, b: f32| (a - b).abs() < 0.04 * b + 4.0;
        assert!(near(area(Shape::Disc), pi));
        assert!(near(area(Shape::Ring), 0.7 * pi), "{}", area(Shape::Ring));
        assert!(near(area(Shape::Square), 17.0 * 17.0), "{}", area(Shape::Square));
        assert!(near(area(Shape::Diamond), 200.0), "{}", area(Shape::Diamond));
        assert!(
            near(area(Shape::Triangle), 0.5 * 20.0 * 18.0),
            "{}",
            area(Shape::Triangle)
        );
        // a ring's middle is left as it was
        let mut d = Dots::default();
        d.resize(40, 40);
        d.begin();
        d.shape(20.0, 20.0, 10.0, [0, 0, 0], Shape::Ring);
        assert_eq!(d.pixels()[(20 * 40 + 20) * 4 + 3], 0);
    }
}
