// SPDX-License-Identifier: Apache-2.0
// BitBrick: the 2-bit x 2-bit multiplier Bit Fusion composes wider products from (Sharma et al.,
// "Bit Fusion: Bit-Level Dynamically Composable Architecture for Accelerating Deep Neural
// Networks", ISCA 2018, Sec. III). Each 2-bit digit is extended to 3 bits by its sign flag: the
// most significant digit of a signed operand is signed, every lower digit is unsigned.
// Product range: [-6, 9] (signed digit -2..1 or unsigned digit 0..3 on each side).
module bitbrick (
    input  logic [1:0]        x,
    input  logic [1:0]        y,
    input  logic              x_signed,
    input  logic              y_signed,
    output logic signed [5:0] p
);
  logic signed [2:0] xe;
  logic signed [2:0] ye;
  assign xe = {x_signed & x[1], x};
  assign ye = {y_signed & y[1], y};
  // 3 x 3 signed bits: the full product needs at most 6 bits.
  assign p = 6'(xe) * 6'(ye);
endmodule
