// SPDX-License-Identifier: Apache-2.0
// Fusion Unit: 16 BitBricks and a shift-add tree that together compute, per cycle, one 8x8, four
// 4x4 or sixteen 2x2 signed products and their sum (Bit Fusion, Sharma et al., ISCA 2018,
// Sec. III: a Fusion Unit of 16 BitBricks fuses them into one 8-bit, four 4-bit or sixteen 2-bit
// "Fused-PEs"; the products are shifted by their digit positions and added).
//
// Operand packing (docs/rtl.md): a and b are 32-bit words of lanes of `bits` bits, lane l in bits
// [bits*l +: bits], each lane a signed two's-complement number; lanes are multiplied pairwise
// (a lane l times b lane l) and the products summed:
//   prec 0: 8-bit, 1 lane  (a[7:0]  * b[7:0]),        bits 31:8 ignored
//   prec 1: 4-bit, 4 lanes (a[4l+3:4l] * b[4l+3:4l]), bits 31:16 ignored
//   prec 2: 2-bit, 16 lanes (a[2l+1:2l] * b[2l+1:2l])
//   prec 3: reserved, computes as prec 0.
// Brick n's 2-bit digits, weights and signedness per precision (digit d = bits [2d+1:2d]):
//   8-bit: n = 4p+q,      a digit p,    b digit q,    shift 2(p+q), signed if p (q) == 3
//   4-bit: n = 4l+2p+q,   a digit 2l+p, b digit 2l+q, shift 2(p+q), signed if p (q) == 1
//   2-bit: n = l,         a digit l,    b digit l,    shift 0,      always signed
module bf_fusion_unit (
    input  logic [31:0]        a,
    input  logic [31:0]        b,
    input  logic [1:0]         prec,
    output logic signed [15:0] sum
);
  logic signed [5:0] p[16];
  logic signed [19:0] term[16];

  for (genvar n = 0; n < 16; n++) begin : g_brick
    localparam int P8 = n / 4, Q8 = n % 4;
    localparam int L4 = n / 4, P4 = (n / 2) % 2, Q4 = n % 2;
    logic [1:0] x, y;
    logic xs, ys;
    logic [3:0] shift;
    always_comb begin
      case (prec)
        2'd1: begin
          x = a[2*(2*L4+P4)+:2];
          y = b[2*(2*L4+Q4)+:2];
          xs = P4 == 1;
          ys = Q4 == 1;
          shift = 4'(2 * (P4 + Q4));
        end
        2'd2: begin
          x = a[2*n+:2];
          y = b[2*n+:2];
          xs = 1'b1;
          ys = 1'b1;
          shift = 4'd0;
        end
        default: begin
          x = a[2*P8+:2];
          y = b[2*Q8+:2];
          xs = P8 == 3;
          ys = Q8 == 3;
          shift = 4'(2 * (P8 + Q8));
        end
      endcase
    end
    bitbrick u_brick (.x(x), .y(y), .x_signed(xs), .y_signed(ys), .p(p[n]));
    assign term[n] = 20'(p[n]) <<< shift;
  end

  // The exact sum fits 16 signed bits (|8x8| <= 2^14); the 20-bit tree only holds the partial
  // sums of shifted brick products, and two's-complement truncation of the total is exact.
  logic signed [19:0] total;
  always_comb begin
    total = '0;
    for (int n = 0; n < 16; n++) total = total + term[n];
  end
  assign sum = total[15:0];
endmodule
