// SPDX-License-Identifier: Apache-2.0
// FAULT `split` (loom cosim --fault split): bf_fusion_unit.sv whose precision split swaps two
// operands: in 4-bit and 2-bit modes lanes 0 and 1 of `a` feed each other's BitBricks, so the
// unit computes a1*b0 + a0*b1 + ... instead of a0*b0 + a1*b1 + ...; 8-bit mode is unaffected.
// Kept apart from the real unit; it exists to prove co-simulation catches it.
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
    // FAULT: the a-side lane index, with lanes 0 and 1 exchanged.
    localparam int LA4 = L4 == 0 ? 1 : L4 == 1 ? 0 : L4;
    localparam int NA2 = n == 0 ? 1 : n == 1 ? 0 : n;
    logic [1:0] x, y;
    logic xs, ys;
    logic [3:0] shift;
    always_comb begin
      case (prec)
        2'd1: begin
          x = a[2*(2*LA4+P4)+:2];
          y = b[2*(2*L4+Q4)+:2];
          xs = P4 == 1;
          ys = Q4 == 1;
          shift = 4'(2 * (P4 + Q4));
        end
        2'd2: begin
          x = a[2*NA2+:2];
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
