;; Transfer Lab's SIMD loops over the wasm backend's own memory (imported, so tensors are read and written in place).
;; Pointers are byte offsets of float32 data; counts are in floats. Each loop does 4 floats per step, then a tail.
(module
  (import "env" "memory" (memory 1))

  ;; ClipByValue's gradient: out = dy where min <= x <= max, else +0 (bits of dy kept, so NaN outside is dropped).
  (func (export "clipGradient") (param $dy i32) (param $x i32) (param $out i32) (param $n i32) (param $min f32) (param $max f32)
    (local $at i32) (local $end i32) (local $lo v128) (local $hi v128) (local $v v128) (local $s f32)
    (local.set $lo (f32x4.splat (local.get $min)))
    (local.set $hi (f32x4.splat (local.get $max)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $vector
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $at))))
        (v128.store (i32.add (local.get $out) (local.get $at))
          (v128.and (v128.load (i32.add (local.get $dy) (local.get $at)))
            (v128.and (f32x4.ge (local.get $v) (local.get $lo)) (f32x4.le (local.get $v) (local.get $hi)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vector)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $s (f32.load (i32.add (local.get $x) (local.get $at))))
        (f32.store (i32.add (local.get $out) (local.get $at))
          (select (f32.load (i32.add (local.get $dy) (local.get $at))) (f32.const 0)
            (i32.and (f32.ge (local.get $s) (local.get $min)) (f32.le (local.get $s) (local.get $max)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $tail))))

  ;; acc[i] += a[i] * b[i] for i < n: one (tap, pixel) of a depthwise filter gradient.
  (func $multiplyAdd (export "multiplyAdd") (param $acc i32) (param $a i32) (param $b i32) (param $n i32)
    (local $at i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $vector
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (v128.store (i32.add (local.get $acc) (local.get $at))
          (f32x4.add (v128.load (i32.add (local.get $acc) (local.get $at)))
            (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $at))) (v128.load (i32.add (local.get $b) (local.get $at))))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vector)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $at) (local.get $end)))
        (f32.store (i32.add (local.get $acc) (local.get $at))
          (f32.add (f32.load (i32.add (local.get $acc) (local.get $at)))
            (f32.mul (f32.load (i32.add (local.get $a) (local.get $at))) (f32.load (i32.add (local.get $b) (local.get $at))))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $tail))))

  ;; out[c] = Σ_r x[r, c] over a row-major [rows, cols] matrix: per-channel sums without a transpose.
  (func (export "columnSums") (param $x i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $row i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $rowBytes))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (call $add (local.get $out) (i32.add (local.get $x) (i32.mul (local.get $row) (local.get $rowBytes))) (local.get $cols))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; out[c] = Σ_r a[r, c] · (b[r, c] − center[c]): batch norm's scale gradient in one pass, no full-size temporaries.
  (func (export "columnCenteredDots") (param $a i32) (param $b i32) (param $center i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $row i32) (local $rowBytes i32) (local $offset i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $rowBytes))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $offset (i32.mul (local.get $row) (local.get $rowBytes)))
        (call $multiplyCenteredAdd (local.get $out) (i32.add (local.get $a) (local.get $offset)) (i32.add (local.get $b) (local.get $offset))
          (local.get $center) (local.get $cols))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; One Adam step over a variable in one pass, with tfjs' own operation order (so values are bit for bit its):
  ;; m' = m·b1 + g·(1−b1), v' = v·b2 + g²·(1−b2), w' = (m'/c1) / (√(v'/c2) + eps) · (−lr) + w. tfjs runs 12 kernels.
  (func (export "adam") (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $wOut i32) (param $mOut i32) (param $vOut i32) (param $n i32)
    (param $b1 f32) (param $ob1 f32) (param $b2 f32) (param $ob2 f32) (param $c1 f32) (param $c2 f32) (param $eps f32) (param $negLr f32)
    (local $at i32) (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128) (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $vector
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $mv (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $at))) (f32x4.splat (local.get $b1)))
          (f32x4.mul (local.get $gv) (f32x4.splat (local.get $ob1)))))
        (local.set $vv (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $at))) (f32x4.splat (local.get $b2)))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (f32x4.splat (local.get $ob2)))))
        (v128.store (i32.add (local.get $mOut) (local.get $at)) (local.get $mv))
        (v128.store (i32.add (local.get $vOut) (local.get $at)) (local.get $vv))
        (v128.store (i32.add (local.get $wOut) (local.get $at))
          (f32x4.add
            (f32x4.mul
              (f32x4.div (f32x4.div (local.get $mv) (f32x4.splat (local.get $c1)))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (f32x4.splat (local.get $c2)))) (f32x4.splat (local.get $eps))))
              (f32x4.splat (local.get $negLr)))
            (v128.load (i32.add (local.get $w) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vector)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $at))))
        (local.set $ms (f32.add (f32.mul (f32.load (i32.add (local.get $m) (local.get $at))) (local.get $b1)) (f32.mul (local.get $gs) (local.get $ob1))))
        (local.set $vs (f32.add (f32.mul (f32.load (i32.add (local.get $v) (local.get $at))) (local.get $b2))
          (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $ob2))))
        (f32.store (i32.add (local.get $mOut) (local.get $at)) (local.get $ms))
        (f32.store (i32.add (local.get $vOut) (local.get $at)) (local.get $vs))
        (f32.store (i32.add (local.get $wOut) (local.get $at))
          (f32.add
            (f32.mul
              (f32.div (f32.div (local.get $ms) (local.get $c1)) (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $c2))) (local.get $eps)))
              (local.get $negLr))
            (f32.load (i32.add (local.get $w) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $tail))))

  ;; acc[i] += a[i] for i < n
  (func $add (param $acc i32) (param $a i32) (param $n i32)
    (local $at i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $vector
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (v128.store (i32.add (local.get $acc) (local.get $at))
          (f32x4.add (v128.load (i32.add (local.get $acc) (local.get $at))) (v128.load (i32.add (local.get $a) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vector)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $at) (local.get $end)))
        (f32.store (i32.add (local.get $acc) (local.get $at))
          (f32.add (f32.load (i32.add (local.get $acc) (local.get $at))) (f32.load (i32.add (local.get $a) (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $tail))))

  ;; acc[i] += a[i] · (b[i] − c[i]) for i < n
  (func $multiplyCenteredAdd (param $acc i32) (param $a i32) (param $b i32) (param $c i32) (param $n i32)
    (local $at i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $vector
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (v128.store (i32.add (local.get $acc) (local.get $at))
          (f32x4.add (v128.load (i32.add (local.get $acc) (local.get $at)))
            (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $at)))
              (f32x4.sub (v128.load (i32.add (local.get $b) (local.get $at))) (v128.load (i32.add (local.get $c) (local.get $at)))))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $vector)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $at) (local.get $end)))
        (f32.store (i32.add (local.get $acc) (local.get $at))
          (f32.add (f32.load (i32.add (local.get $acc) (local.get $at)))
            (f32.mul (f32.load (i32.add (local.get $a) (local.get $at)))
              (f32.sub (f32.load (i32.add (local.get $b) (local.get $at))) (f32.load (i32.add (local.get $c) (local.get $at)))))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (br $tail))))
)
