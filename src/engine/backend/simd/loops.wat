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
